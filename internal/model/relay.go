package model

import "time"

// Relay protocols: how the instance subscribes to a relay and what the
// relay sends back.
const (
	// RelayMastodon is Mastodon's relay protocol: a Follow of the Public
	// collection sent to the relay's inbox; the relay forwards the
	// activities its subscribers send it, signed with its own key.
	RelayMastodon = "mastodon"
	// RelayLitePub is LitePub's (Pleroma, Akkoma): a Follow of the relay
	// actor; the relay sends Announces of the objects' ids.
	RelayLitePub = "litepub"
)

// Relay states: the answer to our Follow.
const (
	RelayPending  = "pending"
	RelayAccepted = "accepted"
	RelayRejected = "rejected"
)

// Default limits of a relay, changed per relay by an administrator.
const (
	RelayDefaultRate      = 60     // objects accepted per minute
	RelayDefaultMaxStored = 10_000 // objects and organisations stored through it
)

// Relay is a relay this instance subscribed to (issue #11). Its URL, as
// the administrator gave it, is its key: the relay's inbox for Mastodon's
// protocol, the relay actor for LitePub's.
type Relay struct {
	URL      string `json:"url"`
	Protocol string `json:"protocol"` // RelayMastodon or RelayLitePub
	// Actor is the relay actor: the URL for LitePub; for Mastodon's
	// protocol, the actor whose Accept answered our Follow (until then,
	// the relay is known only by its inbox).
	Actor    string `json:"actor,omitempty"`
	Inbox    string `json:"inbox"` // where our Follow and our public activities go
	FollowID string `json:"follow_id"`
	State    string `json:"state"`
	Paused   bool   `json:"paused,omitempty"` // the switch: nothing it sends is accepted
	// NoDiscovery switches off the reading of the maillage servers this
	// relay makes known (service/discover.go); on by default.
	NoDiscovery bool      `json:"no_discovery,omitempty"`
	Rate        int       `json:"rate"`       // objects accepted per minute
	MaxStored   int       `json:"max_stored"` // objects and organisations stored through it
	Since       time.Time `json:"since"`

	// Counters of what the relay sent.
	Received int64 `json:"received,omitempty"` // objects announced or forwarded
	Stored   int64 `json:"stored,omitempty"`   // projects, calls and organisations stored and still held
	Dropped  int64 `json:"dropped,omitempty"`  // other posts (plain Notes): counted, never stored
	Refused  int64 `json:"refused,omitempty"`  // failed a check: origin, audience, block, fetch
	Limited  int64 `json:"limited,omitempty"`  // over its rate or total, or while paused
}

// IsAccepting reports whether what r sends may be stored.
func (r Relay) IsAccepting() bool { return r.State == RelayAccepted && !r.Paused }
