package cli_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

func TestAdminCreate(t *testing.T) {
	in := testenv.Start(t, "127.0.0.29", testenv.Options{})
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good", "  correct horse battery  \nsecond line\n")
	out := mustRun(t, in, "admin-create", "-username", "alice", "-password-file", good)
	if !strings.Contains(out, `"username": "alice"`) || strings.Contains(out, "horse") {
		t.Errorf("admin-create printed %s", out)
	}
	// The password is the whole first line, spaces included.
	if err := in.Server.Service.CheckLogin(context.Background(), "alice", "  correct horse battery  "); err != nil {
		t.Errorf("CheckLogin with the file's first line: %v", err)
	}

	tests := []struct {
		name string
		args []string
		want string
	}{
		{"taken", []string{"-username", "alice", "-password-file", good}, "this name is taken"},
		{"short password", []string{"-username", "bob", "-password-file", write("short", "short\n")}, "password: use at least 12"},
		{"empty file", []string{"-username", "bob", "-password-file", write("empty", "\n")}, "no password given"},
		{"no username", []string{"-password-file", good}, "usage"},
		{"missing file", []string{"-username", "bob", "-password-file", filepath.Join(dir, "none")}, "password file"},
		{"password as a flag", []string{"-username", "bob", "-password", "correct horse battery"}, "not defined"},
	}
	for _, tt := range tests {
		_, err := run(t, in, append([]string{"admin-create"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
	admins, err := in.Server.Service.ListAdmins(context.Background(), service.System("test"))
	if err != nil || len(admins) != 1 {
		t.Errorf("admins = %+v, %v; want alice only", admins, err)
	}
}
