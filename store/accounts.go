package store

import (
	"bytes"

	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/secret"
)

// Account is an account of the instance's web interface, whatever its
// role (at first there were only administrators, hence the bucket's name,
// "admins", kept for existing databases). Hash is the
// password's argon2id hash in PHC string form, which carries its salt and
// parameters; package store never sees the password itself. A record
// written before roles existed has no role: it reads as "admin".
type Account struct {
	Username string    `json:"username"`
	Hash     string    `json:"hash"`
	Created  time.Time `json:"created"`
	Role     string    `json:"role,omitempty"`     // "" or "admin", "editor", "member"
	Orgs     []string  `json:"orgs,omitempty"`     // local organisations of an editor or member
	Disabled bool      `json:"disabled,omitempty"` // cannot sign in
	Pending  bool      `json:"pending,omitempty"`  // signed up, waiting for approval (and disabled)
	Email    string    `json:"email,omitempty"`    // given at sign-up (also copied to Prefs)
	Message  string    `json:"message,omitempty"`  // the applicant's short message
}

// Session is a signed-in account. Its key is the SHA-256 of the
// random session id held in the browser's cookie, so a copy of the
// database does not let anyone sign in.
type Session struct {
	Username string    `json:"username"`
	Expires  time.Time `json:"expires"`
}

// CreateAccount stores a new account; ErrExists if the name is taken.
func (t *Tx) CreateAccount(a Account) error {
	if t.bucket(bucketAccounts).Get([]byte(a.Username)) != nil {
		return fmt.Errorf("account %q: %w", a.Username, ErrExists)
	}
	return t.putJSON(bucketAccounts, []byte(a.Username), a)
}

// Account returns the account called username.
func (t *Tx) Account(username string) (Account, error) {
	var a Account
	if err := t.getJSON(bucketAccounts, []byte(username), &a); err != nil {
		return a, fmt.Errorf("account %q: %w", username, err)
	}
	return a, nil
}

// Accounts lists the accounts by name.
func (t *Tx) Accounts() ([]Account, error) {
	var out []Account
	err := t.eachPrefix(bucketAccounts, nil, false, func(k, v []byte) (bool, error) {
		var a Account
		if err := decode(v, &a); err != nil {
			return false, err
		}
		out = append(out, a)
		return true, nil
	})
	return out, err
}

func sessionKey(id string) []byte {
	h := secret.Hash(id)
	return h[:]
}

// PutSession stores the session whose cookie holds id.
func (t *Tx) PutSession(id string, s Session) error {
	return t.putJSON(bucketSessions, sessionKey(id), s)
}

// Session returns the session whose cookie holds id, expired or not: the
// caller compares Expires with its clock.
func (t *Tx) Session(id string) (Session, error) {
	var s Session
	if err := t.getJSON(bucketSessions, sessionKey(id), &s); err != nil {
		return s, fmt.Errorf("session: %w", err)
	}
	return s, nil
}

// DeleteSession removes the session whose cookie holds id (no error if
// there is none).
func (t *Tx) DeleteSession(id string) error {
	if err := t.bucket(bucketSessions).Delete(sessionKey(id)); err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// DeleteExpiredSessions removes the sessions expired at now and
// returns how many there were.
func (t *Tx) DeleteExpiredSessions(now time.Time) (int, error) {
	var expired [][]byte
	err := t.eachPrefix(bucketSessions, nil, false, func(k, v []byte) (bool, error) {
		var s Session
		if err := decode(v, &s); err != nil {
			return false, err
		}
		if !now.Before(s.Expires) {
			expired = append(expired, append([]byte(nil), k...))
		}
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range expired {
		if err := t.bucket(bucketSessions).Delete(k); err != nil {
			return 0, fmt.Errorf("store: delete expired session: %w", err)
		}
	}
	return len(expired), nil
}

// PutAccount replaces an existing account (a new password hash);
// ErrNotFound if there is none.
func (t *Tx) PutAccount(a Account) error {
	if t.bucket(bucketAccounts).Get([]byte(a.Username)) == nil {
		return fmt.Errorf("account %q: %w", a.Username, ErrNotFound)
	}
	return t.putJSON(bucketAccounts, []byte(a.Username), a)
}

// DeleteAccount removes an account; ErrNotFound if there is none.
// Its sessions are left to DeleteSessionsOf, in the same transaction.
func (t *Tx) DeleteAccount(username string) error {
	b := t.bucket(bucketAccounts)
	if b.Get([]byte(username)) == nil {
		return fmt.Errorf("account %q: %w", username, ErrNotFound)
	}
	if err := b.Delete([]byte(username)); err != nil {
		return fmt.Errorf("store: delete account %q: %w", username, err)
	}
	return nil
}

// DeleteSessionsOf removes every session of username except the one whose
// cookie holds except ("" keeps none), and returns how many it removed.
// Sessions are keyed by hash, so this scans them all.
func (t *Tx) DeleteSessionsOf(username, except string) (int, error) {
	var keep []byte
	if except != "" {
		keep = sessionKey(except)
	}
	var doomed [][]byte
	err := t.eachPrefix(bucketSessions, nil, false, func(k, v []byte) (bool, error) {
		var s Session
		if err := decode(v, &s); err != nil {
			return false, err
		}
		if s.Username == username && !bytes.Equal(k, keep) {
			doomed = append(doomed, append([]byte(nil), k...))
		}
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	for _, k := range doomed {
		if err := t.bucket(bucketSessions).Delete(k); err != nil {
			return 0, fmt.Errorf("store: delete session of %q: %w", username, err)
		}
	}
	return len(doomed), nil
}
