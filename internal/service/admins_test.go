package service

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/argon2"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

func TestCreateAdminValidation(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAdmin(ctx, asAdmin, "alice", "correct horse battery"); err != nil {
		t.Fatalf("CreateAdmin: %v", err)
	}
	tests := []struct {
		name, username, password string
		wantFields               []string
	}{
		{"short password", "bob", "elevenchars", []string{"password"}},
		{"bad username", "Bob!", "correct horse battery", []string{"username"}},
		{"empty", "", "", []string{"username", "password"}},
		{"taken", "alice", "another long password", []string{"username"}},
		{"too long", "bob", strings.Repeat("x", MaxPassword+1), []string{"password"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.CreateAdmin(ctx, asAdmin, tt.username, tt.password)
			var ve *model.ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("CreateAdmin = %v, want a ValidationError", err)
			}
			if len(ve.Fields) != len(tt.wantFields) {
				t.Errorf("fields = %v, want %v", ve.Fields, tt.wantFields)
			}
			for _, f := range tt.wantFields {
				if ve.Fields[f].Key == "" {
					t.Errorf("no message for %s in %v", f, ve.Fields)
				}
			}
		})
	}
	admins, err := e.svc.ListAdmins(ctx, asAdmin)
	if err != nil || len(admins) != 1 || admins[0].Username != "alice" || !admins[0].Created.Equal(t0) {
		t.Errorf("ListAdmins = %+v, %v; want alice only", admins, err)
	}
}

func TestCheckLogin(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAdmin(ctx, asAdmin, "alice", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	var hash string
	e.view(t, func(tx *store.Tx) error {
		a, err := tx.Account("alice")
		hash = a.Hash
		return err
	})
	if !strings.HasPrefix(hash, "$argon2id$v=19$m=19456,t=2,p=1$") || strings.Contains(hash, "horse") {
		t.Errorf("stored hash = %q, want an argon2id PHC string", hash)
	}
	tests := []struct {
		username, password string
		want               error
	}{
		{"alice", "correct horse battery", nil},
		{"alice", "correct horse batterY", ErrBadLogin},
		{"alice", "", ErrBadLogin},
		{"bob", "correct horse battery", ErrBadLogin},
		{"", "", ErrBadLogin},
	}
	for _, tt := range tests {
		if got := e.svc.CheckLogin(ctx, tt.username, tt.password); !errors.Is(got, tt.want) && got != tt.want {
			t.Errorf("CheckLogin(%q, %q) = %v, want %v", tt.username, tt.password, got, tt.want)
		}
	}
}

func TestCheckPasswordOtherParameters(t *testing.T) {
	// A hash made with other parameters (as after raising the defaults)
	// still verifies.
	salt := []byte("0123456789abcdef")
	key := argon2.IDKey([]byte("s3cret password"), salt, 1, 8*1024, 2, 24)
	hash := encodeHash(salt, key, 1, 8*1024, 2)
	if ok, err := checkPassword(hash, "s3cret password"); !ok || err != nil {
		t.Errorf("checkPassword(own parameters) = %v, %v; want true", ok, err)
	}
	for _, bad := range []string{"", "plain", "$argon2i$v=19$m=8,t=1,p=1$c2FsdA$a2V5", "$argon2id$v=19$m=8,t=0,p=1$c2FsdA$a2V5"} {
		if ok, err := checkPassword(bad, "x"); ok || err == nil {
			t.Errorf("checkPassword(%q) = %v, %v; want an error", bad, ok, err)
		}
	}
}

func TestSessions(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if _, err := e.svc.CreateAdmin(ctx, asAdmin, "alice", "correct horse battery"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := e.svc.NewSession(ctx, "nobody"); !errors.Is(err, ErrNotFound) {
		t.Errorf("NewSession(unknown admin) = %v, want ErrNotFound", err)
	}
	id, expires, err := e.svc.NewSession(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	if len(id) != 43 || !expires.Equal(t0.Add(SessionTTL)) {
		t.Errorf("NewSession = %q, %v; want 43 characters, expiring %v", id, expires, t0.Add(SessionTTL))
	}
	if u, err := e.svc.SessionUser(ctx, id); err != nil || u != "alice" {
		t.Errorf("SessionUser = %q, %v; want alice", u, err)
	}
	if _, err := e.svc.SessionUser(ctx, id+"x"); !errors.Is(err, ErrNotFound) {
		t.Errorf("SessionUser(wrong id) = %v, want ErrNotFound", err)
	}
	e.clock.Advance(SessionTTL - time.Second)
	if _, err := e.svc.SessionUser(ctx, id); err != nil {
		t.Errorf("SessionUser just before expiry = %v", err)
	}
	e.clock.Advance(time.Second)
	if _, err := e.svc.SessionUser(ctx, id); !errors.Is(err, ErrNotFound) {
		t.Errorf("SessionUser after expiry = %v, want ErrNotFound", err)
	}
	// A new session sweeps the expired one away.
	id2, _, err := e.svc.NewSession(ctx, "alice")
	if err != nil {
		t.Fatal(err)
	}
	e.view(t, func(tx *store.Tx) error {
		if _, err := tx.Session(id); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("expired session kept: %v", err)
		}
		return nil
	})
	if err := e.svc.EndSession(ctx, id2); err != nil {
		t.Fatal(err)
	}
	if _, err := e.svc.SessionUser(ctx, id2); !errors.Is(err, ErrNotFound) {
		t.Errorf("SessionUser after EndSession = %v, want ErrNotFound", err)
	}
}
