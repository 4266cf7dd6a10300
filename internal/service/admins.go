package service

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"time"

	"golang.org/x/crypto/argon2"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/secret"
	"codeberg.org/maillage/maillage/store"
)

// ErrBadLogin is a wrong username or password; it never says which.
var ErrBadLogin = errors.New("service: wrong username or password")

// Password rules and the session lifetime.
const (
	MinPassword = 12
	MaxPassword = 1024 // argon2 takes any length; this bounds the work per attempt
	SessionTTL  = 14 * 24 * time.Hour
)

// argon2id parameters for new hashes: OWASP's recommended minimum (19 MiB,
// 2 passes, 1 lane). They are stored with each hash, so raising them
// later leaves existing hashes valid.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024 // KiB
	argonThreads = 1
	argonKeyLen  = 32
	argonSaltLen = 16
)

// Admin is an administrator as listed: never the hash.
type Admin struct {
	Username string    `json:"username"`
	Created  time.Time `json:"created"`
}

// CreateAdmin adds an administrator (CreateAccount with RoleAdmin).
func (s *Service) CreateAdmin(ctx context.Context, p Principal, username, password string) (Admin, error) {
	a, err := s.CreateAccount(ctx, p, username, password, RoleAdmin, nil)
	return Admin{Username: a.Username, Created: a.Created}, err
}

// ListAdmins lists the accounts with the administrator role by name,
// disabled ones included.
func (s *Service) ListAdmins(ctx context.Context, p Principal) ([]Admin, error) {
	all, err := s.ListAccounts(ctx, p)
	if err != nil {
		return nil, err
	}
	var out []Admin
	for _, a := range all {
		if a.Role == RoleAdmin {
			out = append(out, Admin{Username: a.Username, Created: a.Created})
		}
	}
	return out, nil
}

// dummyHash is checked against when the username is unknown, so that the
// answer takes as long as for a known one.
var dummyHash = encodeHash(make([]byte, argonSaltLen), make([]byte, argonKeyLen), argonTime, argonMemory, argonThreads)

// CheckLogin returns nil if password is username's and the account is
// not disabled, else ErrBadLogin, which never says which (a disabled
// account costs the same hashing as any other).
func (s *Service) CheckLogin(ctx context.Context, username, password string) error {
	var a store.Account
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		a, err = tx.Account(username)
		return err
	})
	known := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return fmt.Errorf("check login: %w", err)
	}
	if !known {
		a.Hash = dummyHash
	}
	ok, err := checkPassword(a.Hash, password)
	if err != nil {
		return fmt.Errorf("check login %s: %w", username, err)
	}
	if !ok || !known || a.Disabled || len(password) > MaxPassword {
		return ErrBadLogin
	}
	return nil
}

// NewSession signs username in: it returns a random session id for the
// cookie (only its SHA-256 is stored) and when it expires. Expired
// sessions are dropped on the way.
func (s *Service) NewSession(ctx context.Context, username string) (string, time.Time, error) {
	id, _ := secret.New()
	now := s.Now().UTC()
	expires := now.Add(SessionTTL)
	err := s.store.Update(func(tx *store.Tx) error {
		if a, err := tx.Account(username); err != nil {
			return err
		} else if a.Disabled {
			return fmt.Errorf("account disabled: %w", ErrForbidden)
		}
		if _, err := tx.DeleteExpiredSessions(now); err != nil {
			return err
		}
		return tx.PutSession(id, store.Session{Username: username, Expires: expires})
	})
	if err != nil {
		return "", time.Time{}, fmt.Errorf("new session for %s: %w", username, err)
	}
	return id, expires, nil
}

// SessionUser returns the name of the account signed in with session id
// (see SessionAccount).
func (s *Service) SessionUser(ctx context.Context, id string) (string, error) {
	a, err := s.SessionAccount(ctx, id)
	return a.Username, err
}

// SessionAccount returns the account signed in with session id, or
// ErrNotFound when the session is unknown or expired, or its account no
// longer exists or is disabled.
func (s *Service) SessionAccount(ctx context.Context, id string) (Account, error) {
	var acc Account
	err := s.store.View(func(tx *store.Tx) error {
		sess, err := tx.Session(id)
		if err != nil {
			return err
		}
		if !s.Now().Before(sess.Expires) {
			return fmt.Errorf("session expired: %w", ErrNotFound)
		}
		a, err := tx.Account(sess.Username)
		if err != nil {
			return err
		}
		if a.Disabled {
			return fmt.Errorf("account disabled: %w", ErrNotFound)
		}
		acc = accountOf(a)
		return nil
	})
	return acc, err
}

// EndSession signs a session out.
func (s *Service) EndSession(ctx context.Context, id string) error {
	if err := s.store.Update(func(tx *store.Tx) error { return tx.DeleteSession(id) }); err != nil {
		return fmt.Errorf("end session: %w", err)
	}
	return nil
}

// ChangePassword replaces username's password after checking current
// (through CheckLogin: the same constant-time argon2id path), and ends all
// of username's sessions but keepSession (the session id of the browser
// making the change; "" ends them all). A wrong current password is a
// ValidationError on "current", a weak new one on "password".
func (s *Service) ChangePassword(ctx context.Context, username, current, newPassword, keepSession string) error {
	if err := s.CheckLogin(ctx, username, current); err != nil {
		if errors.Is(err, ErrBadLogin) {
			return model.Invalid("current", "validation.password.current")
		}
		return err
	}
	if pe, ok := accountProblems(username, newPassword)["password"]; ok {
		return &model.ValidationError{Fields: model.FieldErrors{"password": pe}}
	}
	hash, err := hashPassword(newPassword)
	if err != nil {
		return err
	}
	var ended int
	err = s.store.Update(func(tx *store.Tx) error {
		a, err := tx.Account(username)
		if err != nil {
			return err
		}
		a.Hash = hash
		if err := tx.PutAccount(a); err != nil {
			return err
		}
		ended, err = tx.DeleteSessionsOf(username, keepSession)
		return err
	})
	if err != nil {
		return fmt.Errorf("change password of %s: %w", username, err)
	}
	s.log.Info("administrator password changed", "admin", username, "sessions_ended", ended)
	return nil
}

// EndSessions signs username out everywhere and returns how many sessions
// it ended; ErrNotFound if there is no such administrator.
func (s *Service) EndSessions(ctx context.Context, p Principal, username string) (int, error) {
	if username != p.Username() {
		if err := authorize(p, ActManageAccounts, ""); err != nil {
			return 0, fmt.Errorf("end sessions: %w", err)
		}
	}
	var n int
	err := s.store.Update(func(tx *store.Tx) error {
		if _, err := tx.Account(username); err != nil {
			return err
		}
		var err error
		n, err = tx.DeleteSessionsOf(username, "")
		return err
	})
	if err != nil {
		return 0, fmt.Errorf("end sessions of %s: %w", username, err)
	}
	s.log.Info("administrator signed out everywhere", "admin", username, "sessions_ended", n)
	return n, nil
}

// hashPassword returns an argon2id hash in PHC string form:
// $argon2id$v=19$m=19456,t=2,p=1$<salt>$<key>, base64 without padding.
func hashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return encodeHash(salt, key, argonTime, argonMemory, argonThreads), nil
}

func encodeHash(salt, key []byte, t, m uint32, p uint8) string {
	b64 := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, m, t, p,
		b64.EncodeToString(salt), b64.EncodeToString(key))
}

// checkPassword compares password with a hash made by hashPassword, with
// the hash's own parameters, in constant time.
func checkPassword(hash, password string) (bool, error) {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, errors.New("password hash: not argon2id")
	}
	var version int
	var t, m uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, fmt.Errorf("password hash: version %q", parts[2])
	}
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil || t == 0 || p == 0 || m > 1<<22 {
		return false, fmt.Errorf("password hash: parameters %q", parts[3])
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return false, fmt.Errorf("password hash: salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return false, fmt.Errorf("password hash: key: %w", err)
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}
