package service

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"net/mail"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/secret"
	"codeberg.org/maillage/maillage/store"
)

// Claims of imported organisations (issue #10, item 3). Anyone may ask to
// claim an organisation this instance lists from an import; the claim is
// proven by the organisation's website (a rel="me" link back to the actor,
// or a token served at a well-known path), then an administrator confirms
// it, or the instance does when AutoConfirmClaims is set. Confirming makes
// an invitation to an editor account of the organisation and marks it
// claimed.
const (
	// ClaimTTL is how long a claim is kept, whatever became of it.
	ClaimTTL = 30 * 24 * time.Hour
	// MaxClaimMessage bounds the claimant's message, in characters.
	MaxClaimMessage = 2000
	// At most claimsPerOrg open claims (pending or proven) per
	// organisation and claimsTotal in all: past them a new claim replaces
	// the oldest pending one (makeClaimRoom).
	claimsPerOrg = 5
	claimsTotal  = 1000
	// claimsPerClient claims may be opened per client address every
	// claimClientWindow.
	claimsPerClient   = 5
	claimClientWindow = time.Hour
	// claimCheckSpacing is the least time between two checks of a claim's
	// website (each is a request to it).
	claimCheckSpacing = 5 * time.Second
)

// Errors of claims.
var (
	// ErrNotClaimable: the organisation is not listed from an import, or
	// was already claimed. Pages answer it as a missing page.
	ErrNotClaimable = fmt.Errorf("service: organisation cannot be claimed: %w", ErrNotFound)
	// ErrTooManyClaims: a bound on claims (per organisation, per client,
	// in all) is reached.
	ErrTooManyClaims = errs.New(errs.RateLimited, "service: too many claims")
	// ErrClaimState: the claim is not in a state that allows it (confirm
	// before proof, check after confirmation).
	ErrClaimState = fmt.Errorf("service: claim not in that state: %w", ErrConflict)
)

// Who confirmed a claim when no account did: names no account can have
// (model.ValidName), so that deleting an account never drops the
// invitations they made (store.DeleteInvitationsBy).
const (
	ClaimedByInstance = "(auto)" // the claims-auto-confirm setting
	ClaimedByAPI      = "(api)"  // the admin API token
)

// ClaimInput is what a claimant gives.
type ClaimInput struct {
	Email   string `json:"email"`
	Message string `json:"message"`
	Method  string `json:"method"` // model.ClaimRelMe or model.ClaimToken
}

// ClaimProof says what the claimant puts on the website: a rel="me" link to
// Actor on the page Website with <meta name="maillage-claim"
// content="Token"> (the link alone is the same for every claimant, the
// token is this claim's), or Token as a line of the file at TokenURL.
type ClaimProof struct {
	Actor    string
	Website  string
	Token    string
	TokenURL string
}

// claimToken derives the token to serve from the claimant's key, so that
// only the key's hash is stored and the token, public once served, does
// not open the claim's page.
func claimToken(key string) string {
	h := sha256.Sum256([]byte("maillage claim token\x00" + key))
	return "maillage-claim-" + hex.EncodeToString(h[:16])
}

// ClaimableOrg returns the local organisation name if it can be claimed
// now: imported, not yet claimed, not moved; else ErrNotClaimable.
func (s *Service) ClaimableOrg(ctx context.Context, name string) (model.Org, error) {
	var o model.Org
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		o, err = claimable(tx, name)
		return err
	})
	return o, err
}

func claimable(tx *store.Tx, name string) (model.Org, error) {
	o, err := tx.Org(name)
	if errors.Is(err, store.ErrNotFound) || (err == nil && (!o.IsOrganisation() || !o.Provenance.Listed() || o.MovedTo != "")) {
		return o, ErrNotClaimable
	}
	return o, err
}

// OpenClaim records a claim of the organisation org by whoever gives in,
// from client (its address, counted against claimsPerClient), and returns
// it with the secret key that opens its page, shown once.
func (s *Service) OpenClaim(ctx context.Context, org string, in ClaimInput, client string) (model.Claim, string, error) {
	in.Email, in.Message = strings.TrimSpace(in.Email), strings.TrimSpace(in.Message)
	p := model.FieldErrors{}
	if addr, err := mail.ParseAddress(in.Email); err != nil || addr.Address != in.Email || len(in.Email) > 254 {
		p["email"] = model.Problem("validation.email")
	}
	if utf8.RuneCountInString(in.Message) > MaxClaimMessage || !utf8.ValidString(in.Message) {
		p["message"] = model.Problem("validation.max_use", MaxClaimMessage)
	}
	if in.Method != model.ClaimRelMe && in.Method != model.ClaimToken {
		p["method"] = model.Problem("claims.validation.method")
	}
	now := s.Now().UTC()
	o, err := s.ClaimableOrg(ctx, org)
	if err != nil {
		return model.Claim{}, "", err
	}
	if o.Website == "" {
		p["method"] = model.Problem("claims.validation.no_website")
	}
	if len(p) > 0 {
		return model.Claim{}, "", &model.ValidationError{Fields: p}
	}
	if !s.claimOpens.allow(client, now) {
		return model.Claim{}, "", ErrTooManyClaims
	}
	key, _ := secret.New()
	kh := secret.Hash(key)
	c := model.Claim{ID: newClaimID(), Org: org, Email: in.Email, Message: in.Message, Method: in.Method,
		KeyHash: kh[:], Status: model.ClaimPending, Website: o.Website, Created: now}
	err = s.store.Update(func(tx *store.Tx) error {
		if _, err := claimable(tx, org); err != nil {
			return err
		}
		if _, err := tx.DeleteClaimsBefore(now.Add(-ClaimTTL)); err != nil {
			return err
		}
		all, err := tx.Claims()
		if err != nil {
			return err
		}
		var open, ofOrg []model.Claim
		for _, other := range all {
			if isOpenClaim(other, now) {
				open = append(open, other)
				if other.Org == org {
					ofOrg = append(ofOrg, other)
				}
			}
		}
		dropped, err := makeClaimRoom(tx, ofOrg, claimsPerOrg, "")
		if err != nil {
			return err
		}
		if _, err := makeClaimRoom(tx, open, claimsTotal, dropped); err != nil {
			return err
		}
		return tx.PutClaim(c)
	})
	if err != nil {
		return model.Claim{}, "", fmt.Errorf("open claim of %s: %w", org, err)
	}
	s.log.Info("claim opened", "org", org, "claim", c.ID, "method", c.Method)
	return c, key, nil
}

// makeClaimRoom makes room for one more claim among open, bounded to max:
// it drops the oldest pending claim, so that strangers opening claims
// cannot lock an entry or the instance out (a claim proven by the website
// is never dropped), or fails with ErrTooManyClaims when all are proven.
// dropped is a claim already removed from open; it returns the one it
// removes, if any.
func makeClaimRoom(tx *store.Tx, open []model.Claim, max int, dropped string) (string, error) {
	n := len(open)
	if dropped != "" && slices.ContainsFunc(open, func(c model.Claim) bool { return c.ID == dropped }) {
		n--
	}
	if n < max {
		return "", nil
	}
	var oldest *model.Claim
	for i, c := range open {
		if c.Status == model.ClaimPending && c.ID != dropped && (oldest == nil || c.Created.Before(oldest.Created)) {
			oldest = &open[i]
		}
	}
	if oldest == nil {
		return "", ErrTooManyClaims
	}
	return oldest.ID, tx.DeleteClaim(oldest.ID)
}

func newClaimID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// ClaimFor returns the claim id to the holder of its key, with the proof to
// put in place. A wrong key, an unknown or an expired claim are all
// ErrNotFound.
func (s *Service) ClaimFor(ctx context.Context, id, key string) (model.Claim, ClaimProof, error) {
	var c model.Claim
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		c, err = s.keyedClaim(tx, id, key)
		return err
	})
	if err != nil {
		return c, ClaimProof{}, err
	}
	return c, s.claimProof(c, key), nil
}

func (s *Service) claimProof(c model.Claim, key string) ClaimProof {
	pr := ClaimProof{Actor: s.uris.Actor(c.Org), Website: c.Website, Token: claimToken(key)}
	if c.Method == model.ClaimToken {
		pr.TokenURL = wellKnownOf(c.Website)
	}
	return pr
}

// wellKnownOf is the claim token's URL on website's origin.
func wellKnownOf(website string) string {
	scheme, rest, ok := strings.Cut(website, "://")
	if !ok {
		return ""
	}
	host, _, _ := strings.Cut(rest, "/")
	host, _, _ = strings.Cut(host, "?")
	host, _, _ = strings.Cut(host, "#")
	return scheme + "://" + host + "/.well-known/maillage-claim.txt"
}

func (s *Service) keyedClaim(tx *store.Tx, id, key string) (model.Claim, error) {
	c, err := tx.Claim(id)
	if errors.Is(err, store.ErrNotFound) {
		return c, ErrNotFound
	}
	if err != nil {
		return c, err
	}
	kh := secret.Hash(key)
	if key == "" || subtle.ConstantTimeCompare(kh[:], c.KeyHash) != 1 || !s.Now().Before(c.Created.Add(ClaimTTL)) {
		return model.Claim{}, ErrNotFound
	}
	return c, nil
}

// CheckClaim reads the claim's website for its proof, at the claimant's
// request (with its key), and records the outcome: proven, or the
// problem. When the instance confirms claims itself, a proven claim is
// confirmed at once and the invitation code returned (else "").
func (s *Service) CheckClaim(ctx context.Context, id, key string) (model.Claim, string, error) {
	c, pr, err := s.ClaimFor(ctx, id, key)
	if err != nil {
		return c, "", err
	}
	if c.Status != model.ClaimPending {
		return c, "", ErrClaimState
	}
	now := s.Now().UTC()
	if now.Sub(c.Checked) < claimCheckSpacing {
		return c, "", ErrTooManyClaims
	}
	if s.sites == nil {
		return c, "", errors.New("service: no website checker")
	}
	if _, err := s.ClaimableOrg(ctx, c.Org); err != nil {
		return c, "", err
	}
	var ok, alone bool
	var cerr error
	if c.Method == model.ClaimToken {
		ok, cerr = s.sites.ServesToken(ctx, c.Website, pr.Token)
	} else {
		ok, cerr = s.sites.ClaimsPage(ctx, c.Website, pr.Token, pr.Actor)
	}
	err = s.store.Update(func(tx *store.Tx) error {
		cur, err := s.keyedClaim(tx, id, key)
		if err != nil {
			return err
		}
		if cur.Status != model.ClaimPending {
			return ErrClaimState
		}
		c = cur
		c.Checked, c.Problem = now, ""
		if alone, err = onlyOpenClaim(tx, c, now); err != nil {
			return err
		}
		switch {
		case ok:
			c.Status, c.Proven = model.ClaimProven, now
		case cerr != nil:
			c.Problem = "unreachable"
		default:
			c.Problem = "missing"
		}
		return tx.PutClaim(c)
	})
	if err != nil {
		return c, "", fmt.Errorf("check claim %s: %w", id, err)
	}
	if cerr != nil {
		s.log.Debug("claim website unreachable", "claim", id, "err", cerr)
	}
	s.log.Info("claim checked", "claim", id, "org", c.Org, "proven", ok)
	if !ok || !s.autoClaims || !alone {
		return c, "", nil // another claimant is waiting: an administrator decides
	}
	return s.confirmClaim(ctx, id, ClaimedByInstance)
}

// onlyOpenClaim reports whether c is the only open (pending or proven)
// claim of its organisation.
func onlyOpenClaim(tx *store.Tx, c model.Claim, now time.Time) (bool, error) {
	all, err := tx.Claims()
	if err != nil {
		return false, err
	}
	for _, other := range all {
		if other.ID != c.ID && other.Org == c.Org && isOpenClaim(other, now) {
			return false, nil
		}
	}
	return true, nil
}

// Claims lists the claims kept, newest first, for the administrators.
func (s *Service) Claims(ctx context.Context, p Principal) ([]model.Claim, error) {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return nil, fmt.Errorf("claims: %w", err)
	}
	var out []model.Claim
	cutoff := s.Now().Add(-ClaimTTL)
	err := s.store.View(func(tx *store.Tx) error {
		all, err := tx.Claims()
		for _, c := range all {
			if !c.Created.Before(cutoff) {
				out = append(out, c)
			}
		}
		return err
	})
	slices.SortFunc(out, func(a, b model.Claim) int { return b.Created.Compare(a.Created) })
	return out, err
}

// ConfirmClaim confirms a proven claim (an administrator's decision): it
// makes an invitation to an editor account of the organisation, marks the
// organisation claimed and federates the change, and e-mails the
// invitation to the claimant when the instance sends mail. It returns the
// invitation code, to show to the administrator once.
func (s *Service) ConfirmClaim(ctx context.Context, p Principal, id, by string) (model.Claim, string, error) {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return model.Claim{}, "", fmt.Errorf("confirm claim: %w", err)
	}
	return s.confirmClaim(ctx, id, by)
}

func (s *Service) confirmClaim(ctx context.Context, id, by string) (model.Claim, string, error) {
	var c model.Claim
	code, _ := secret.New()
	now := s.Now().UTC()
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if c, err = tx.Claim(id); err != nil {
			return err
		}
		if c.Status != model.ClaimProven || !now.Before(c.Created.Add(ClaimTTL)) {
			return ErrClaimState
		}
		o, err := claimable(tx, c.Org)
		if err != nil {
			return err
		}
		if o.Website != c.Website {
			return ErrClaimState // the proof was of another website
		}
		inv := store.Invitation{Role: string(RoleEditor), Orgs: []string{c.Org}, InvitedBy: by,
			Created: now, Expires: now.Add(InvitationTTL)}
		if err := tx.DeleteExpiredInvitations(now); err != nil {
			return err
		}
		if err := tx.PutInvitation(code, inv); err != nil {
			return err
		}
		prov := *o.Provenance
		prov.Claimed = now
		o.Provenance, o.Updated = &prov, now
		if err := tx.PutOrg(o); err != nil {
			return err
		}
		c.Status, c.Confirmed, c.ConfirmedBy = model.ClaimConfirmed, now, by
		if err := tx.PutClaim(c); err != nil {
			return err
		}
		return s.emitActorUpdate(tx, o)
	})
	if err != nil {
		return c, "", fmt.Errorf("confirm claim %s: %w", id, err)
	}
	s.poke()
	s.changed(s.uris.Actor(c.Org))
	s.log.Info("claim confirmed", "claim", id, "org", c.Org, "account", by)
	if s.mail != nil {
		body := fmt.Sprintf("Your claim of %s on %s is confirmed.\n\n"+
			"Create the account that edits it here within a week (the link works once):\n%s\n\n"+
			"Votre demande pour %s sur %s est confirmée. Créez ici, dans la semaine, le compte qui la modifie :\n%s\n",
			c.Org, s.uris.Host(), s.uris.Join(code), c.Org, s.uris.Host(), s.uris.Join(code))
		if err := s.mail.Send(ctx, c.Email, s.uris.Host()+": claim confirmed", body); err != nil {
			s.log.Warn("claim e-mail failed", "claim", id, "err", err)
		}
	}
	return c, code, nil
}

// RefuseClaim refuses a claim that is not yet confirmed.
func (s *Service) RefuseClaim(ctx context.Context, p Principal, id string) error {
	if err := authorize(p, ActManageAccounts, ""); err != nil {
		return fmt.Errorf("refuse claim: %w", err)
	}
	return s.store.Update(func(tx *store.Tx) error {
		c, err := tx.Claim(id)
		if err != nil {
			return err
		}
		if c.Status == model.ClaimConfirmed || c.Status == model.ClaimRefused {
			return ErrClaimState
		}
		c.Status = model.ClaimRefused
		return tx.PutClaim(c)
	})
}

// AutoConfirmsClaims reports whether proven claims confirm themselves
// (the claims-auto-confirm setting).
func (s *Service) AutoConfirmsClaims() bool { return s.autoClaims }

// isOpenClaim reports whether c is pending or proven and not expired.
func isOpenClaim(c model.Claim, now time.Time) bool {
	return (c.Status == model.ClaimPending || c.Status == model.ClaimProven) && now.Before(c.Created.Add(ClaimTTL))
}
