package model

import "time"

// Verification is this instance's own check of an organisation's website
// (local or remote): whether the page links back to the actor with
// rel="me". Another server's word is never taken for it.
type Verification struct {
	Website  string    `json:"website"`           // the URL checked
	Checked  time.Time `json:"checked"`           // the last check, whatever its outcome
	Verified time.Time `json:"verified,omitzero"` // the last check that found the link; zero once a page read lacks it
	Problem  string    `json:"problem,omitempty"` // why the last check failed, in a few words (never shown raw to strangers)
}

// IsVerified reports whether v verifies website, the organisation's
// current one: a check of another address proves nothing about it.
func (v Verification) IsVerified(website string) bool {
	return website != "" && v.Website == website && !v.Verified.IsZero()
}
