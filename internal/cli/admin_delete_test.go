package cli_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

func TestAdminDelete(t *testing.T) {
	in := testenv.Start(t, "127.0.0.145", testenv.Options{})
	ctx := context.Background()
	svc := in.Server.Service
	for _, name := range []string{"alice", "bob", "carol"} {
		if s := in.API("POST", "/api/v1/admins", map[string]string{"username": name, "password": "correct horse battery"}, nil); s != http.StatusCreated {
			t.Fatalf("create %s: status %d", name, s)
		}
	}
	id, _, err := svc.NewSession(ctx, "bob")
	if err != nil {
		t.Fatal(err)
	}
	if out := mustRun(t, in, "admin-delete", "-username", "bob"); !strings.Contains(out, "bob deleted") {
		t.Errorf("admin-delete printed %q", out)
	}
	if _, err := svc.SessionUser(ctx, id); !errors.Is(err, service.ErrNotFound) {
		t.Errorf("bob's session after admin-delete: %v, want ErrNotFound", err)
	}
	// account-delete is the command's name; admin-delete, above, its old one.
	if out := mustRun(t, in, "account-delete", "-username", "carol"); !strings.Contains(out, "carol deleted") {
		t.Errorf("account-delete printed %q", out)
	}
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"last admin", []string{"-username", "alice"}, "the last administrator cannot be deleted"},
		{"unknown", []string{"-username", "bob"}, "404"},
		{"no username", nil, "usage"},
	}
	for _, tt := range tests {
		_, err := run(t, in, append([]string{"admin-delete"}, tt.args...)...)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: err = %v, want it to mention %q", tt.name, err, tt.want)
		}
	}
	if admins, err := svc.ListAdmins(ctx, service.System("test")); err != nil || len(admins) != 1 || admins[0].Username != "alice" {
		t.Errorf("admins = %+v, %v; want alice only", admins, err)
	}
}
