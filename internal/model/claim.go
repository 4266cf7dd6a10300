package model

import "time"

// A claim is someone's request to take over an organisation this instance
// listed from an import (Provenance.Listed), proven by the organisation's
// website, then confirmed by an administrator.
type Claim struct {
	ID      string `json:"id"`  // random, public: the administrators' handle on it
	Org     string `json:"org"` // local name of the claimed organisation
	Email   string `json:"email"`
	Message string `json:"message,omitempty"`
	Method  string `json:"method"` // ClaimRelMe or ClaimToken
	// KeyHash is the SHA-256 of the claimant's secret key, which opens the
	// claim's page and derives the token to serve; the key itself is
	// never stored.
	KeyHash   []byte    `json:"key_hash"`
	Status    string    `json:"status"` // ClaimStatuses
	Problem   string    `json:"problem,omitempty"`
	Website   string    `json:"website"` // the website the proof is read from, as it was when the claim opened
	Created   time.Time `json:"created"`
	Checked   time.Time `json:"checked,omitzero"`
	Proven    time.Time `json:"proven,omitzero"`
	Confirmed time.Time `json:"confirmed,omitzero"`
	// ConfirmedBy is the administrator who confirmed, or what did when no
	// account did (service.ClaimedByInstance, service.ClaimedByAPI).
	ConfirmedBy string `json:"confirmed_by,omitempty"`
}

// Proof methods of a claim.
const (
	ClaimRelMe = "relme" // the website links back to the actor with rel="me"
	ClaimToken = "token" // the website's origin serves the claim's token at a well-known path
)

// Claim statuses, in the order a claim goes through them.
const (
	ClaimPending   = "pending"   // opened, proof not yet found
	ClaimProven    = "proven"    // the website proved it; waiting for an administrator
	ClaimConfirmed = "confirmed" // an administrator confirmed: an invitation was made
	ClaimRefused   = "refused"   // an administrator refused it
)
