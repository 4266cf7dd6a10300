package service

import (
	"context"
	"errors"
	"slices"
	"testing"
)

const (
	alicePassword = "correct horse battery"
	bobPassword   = "another long password"
)

// sessions opens n sessions for username.
func sessions(t *testing.T, s *Service, username string, n int) []string {
	t.Helper()
	var ids []string
	for range n {
		id, _, err := s.NewSession(context.Background(), username)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	return ids
}

// live reports which of ids are still signed in.
func live(s *Service, ids ...string) []bool {
	out := make([]bool, len(ids))
	for i, id := range ids {
		_, err := s.SessionUser(context.Background(), id)
		out[i] = err == nil
	}
	return out
}

func TestChangePassword(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, a := range [][2]string{{"alice", alicePassword}, {"bob", bobPassword}} {
		if _, err := e.svc.CreateAdmin(ctx, asAdmin, a[0], a[1]); err != nil {
			t.Fatal(err)
		}
	}
	mine := sessions(t, e.svc, "alice", 3)
	bobs := sessions(t, e.svc, "bob", 1)

	tests := []struct {
		name, current, next string
		field               string
	}{
		{"wrong current", "not the password", "a brand new password", "current"},
		{"empty current", "", "a brand new password", "current"},
		{"short new", alicePassword, "short", "password"},
	}
	for _, tt := range tests {
		err := e.svc.ChangePassword(ctx, "alice", tt.current, tt.next, mine[0])
		if got := validationFields(t, err); !slices.Equal(got, []string{tt.field}) {
			t.Errorf("%s: fields = %v, want [%s]", tt.name, got, tt.field)
		}
	}
	if got := live(e.svc, mine...); !slices.Equal(got, []bool{true, true, true}) {
		t.Errorf("after refused changes, sessions live = %v, want all", got)
	}
	if err := e.svc.ChangePassword(ctx, "nobody", alicePassword, "a brand new password", ""); validationFields(t, err) == nil {
		t.Errorf("ChangePassword(unknown admin) = %v, want the same answer as a wrong password", err)
	}

	if err := e.svc.ChangePassword(ctx, "alice", alicePassword, "a brand new password", mine[1]); err != nil {
		t.Fatalf("ChangePassword: %v", err)
	}
	if got := live(e.svc, append(mine, bobs...)...); !slices.Equal(got, []bool{false, true, false, true}) {
		t.Errorf("sessions live (alice×3, bob) = %v, want only the kept one and bob's", got)
	}
	if err := e.svc.CheckLogin(ctx, "alice", alicePassword); !errors.Is(err, ErrBadLogin) {
		t.Errorf("old password: %v, want ErrBadLogin", err)
	}
	if err := e.svc.CheckLogin(ctx, "alice", "a brand new password"); err != nil {
		t.Errorf("new password: %v", err)
	}
}

func TestDeleteAdmin(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	for _, a := range [][2]string{{"alice", alicePassword}, {"bob", bobPassword}} {
		if _, err := e.svc.CreateAdmin(ctx, asAdmin, a[0], a[1]); err != nil {
			t.Fatal(err)
		}
	}
	bobs := sessions(t, e.svc, "bob", 2)
	mine := sessions(t, e.svc, "alice", 1)
	if err := e.svc.DeleteAccount(ctx, asAdmin, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("DeleteAdmin(nobody) = %v, want ErrNotFound", err)
	}
	if err := e.svc.DeleteAccount(ctx, asAdmin, "bob"); err != nil {
		t.Fatalf("DeleteAdmin(bob): %v", err)
	}
	if got := live(e.svc, append(bobs, mine...)...); !slices.Equal(got, []bool{false, false, true}) {
		t.Errorf("sessions live (bob×2, alice) = %v, want alice's only", got)
	}
	if err := e.svc.CheckLogin(ctx, "bob", bobPassword); !errors.Is(err, ErrBadLogin) {
		t.Errorf("deleted admin logs in: %v", err)
	}
	if got := validationFields(t, e.svc.DeleteAccount(ctx, asAdmin, "alice")); !slices.Equal(got, []string{"username"}) {
		t.Errorf("deleting the last admin: fields %v, want [username]", got)
	}
	if admins, _ := e.svc.ListAdmins(ctx, asAdmin); len(admins) != 1 {
		t.Errorf("admins = %+v, want alice", admins)
	}
}

func TestEndSessions(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAdmin(ctx, asAdmin, "alice", alicePassword); err != nil {
		t.Fatal(err)
	}
	mine := sessions(t, e.svc, "alice", 2)
	if n, err := e.svc.EndSessions(ctx, asAdmin, "alice"); err != nil || n != 2 {
		t.Errorf("EndSessions = %d, %v; want 2", n, err)
	}
	if got := live(e.svc, mine...); !slices.Equal(got, []bool{false, false}) {
		t.Errorf("sessions live = %v, want none", got)
	}
	if _, err := e.svc.EndSessions(ctx, asAdmin, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("EndSessions(nobody) = %v, want ErrNotFound", err)
	}
}
