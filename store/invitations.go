package store

import (
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/secret"
)

// Invitation lets whoever holds its random code create one account with
// the given role and organisations. It is keyed by the SHA-256 of the
// code, so a copy of the database gives no usable code.
type Invitation struct {
	Role      string    `json:"role"`
	Orgs      []string  `json:"orgs,omitempty"`
	InvitedBy string    `json:"invited_by"`
	Created   time.Time `json:"created"`
	Expires   time.Time `json:"expires"`
}

func invitationKey(code string) []byte {
	h := secret.Hash(code)
	return h[:]
}

// PutInvitation stores the invitation whose code is code.
func (t *Tx) PutInvitation(code string, inv Invitation) error {
	return t.putJSON(bucketInvites, invitationKey(code), inv)
}

// Invitation returns the invitation whose code is code, expired or not:
// the caller compares Expires with its clock.
func (t *Tx) Invitation(code string) (Invitation, error) {
	var inv Invitation
	if err := t.getJSON(bucketInvites, invitationKey(code), &inv); err != nil {
		return inv, fmt.Errorf("invitation: %w", err)
	}
	return inv, nil
}

// DeleteInvitation removes the invitation whose code is code (no error if
// there is none).
func (t *Tx) DeleteInvitation(code string) error {
	if err := t.bucket(bucketInvites).Delete(invitationKey(code)); err != nil {
		return fmt.Errorf("store: delete invitation: %w", err)
	}
	return nil
}

// DeleteExpiredInvitations removes the invitations expired at now.
func (t *Tx) DeleteExpiredInvitations(now time.Time) error {
	var expired [][]byte
	err := t.eachPrefix(bucketInvites, nil, false, func(k, v []byte) (bool, error) {
		var inv Invitation
		if err := decode(v, &inv); err != nil {
			return false, err
		}
		if !now.Before(inv.Expires) {
			expired = append(expired, append([]byte(nil), k...))
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, k := range expired {
		if err := t.bucket(bucketInvites).Delete(k); err != nil {
			return fmt.Errorf("store: delete expired invitation: %w", err)
		}
	}
	return nil
}

// DeleteInvitationsBy removes the invitations made by username (an
// account disabled, deleted or no longer administrator: what it invited
// must not outlive its rights).
func (t *Tx) DeleteInvitationsBy(username string) error {
	var doomed [][]byte
	err := t.eachPrefix(bucketInvites, nil, false, func(k, v []byte) (bool, error) {
		var inv Invitation
		if err := decode(v, &inv); err != nil {
			return false, err
		}
		if inv.InvitedBy == username {
			doomed = append(doomed, append([]byte(nil), k...))
		}
		return true, nil
	})
	if err != nil {
		return err
	}
	for _, k := range doomed {
		if err := t.bucket(bucketInvites).Delete(k); err != nil {
			return fmt.Errorf("store: delete invitation: %w", err)
		}
	}
	return nil
}
