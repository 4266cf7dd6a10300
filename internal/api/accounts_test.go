package api_test

import (
	"context"
	"net/http"
	"testing"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

const adminPassword = "correct horse battery staple"

func TestAPICreateAdmin(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.26", testenv.Options{})
	var fields struct{ Fields map[string]string }
	tests := []struct {
		name       string
		body       map[string]string
		want       int
		wantFields []string
	}{
		{"valid", map[string]string{"username": "alice", "password": adminPassword}, http.StatusCreated, nil},
		{"taken", map[string]string{"username": "alice", "password": adminPassword}, http.StatusUnprocessableEntity, []string{"username"}},
		{"short password", map[string]string{"username": "bob", "password": "short"}, http.StatusUnprocessableEntity, []string{"password"}},
		{"bad username", map[string]string{"username": "Bob Smith", "password": adminPassword}, http.StatusUnprocessableEntity, []string{"username"}},
	}
	for _, tt := range tests {
		fields.Fields = nil
		if got := in.API("POST", "/api/v1/admins", tt.body, &fields); got != tt.want {
			t.Errorf("%s: status %d, want %d", tt.name, got, tt.want)
		}
		for _, f := range tt.wantFields {
			if fields.Fields[f] == "" {
				t.Errorf("%s: no message for %s in %v", tt.name, f, fields.Fields)
			}
		}
	}
	token := in.Token
	in.Token = "not-the-token"
	if got := in.API("POST", "/api/v1/admins", map[string]string{"username": "mallory", "password": adminPassword}, nil); got != http.StatusUnauthorized {
		t.Errorf("without a valid token: status %d, want 401", got)
	}
	in.Token = token
	admins, err := in.Server.Service.ListAdmins(context.Background(), service.System("test"))
	if err != nil || len(admins) != 1 || admins[0].Username != "alice" {
		t.Errorf("admins = %+v, %v; want alice only", admins, err)
	}
}
