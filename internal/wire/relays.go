package wire

import (
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// Relay is a relay joined, as GET /api/v1/relays lists it.
type Relay struct {
	URL       string    `json:"url"`
	Protocol  string    `json:"protocol"` // "mastodon" or "litepub"
	Actor     string    `json:"actor,omitempty"`
	Inbox     string    `json:"inbox"`
	State     string    `json:"state"` // "pending", "accepted" or "rejected"
	Paused    bool      `json:"paused"`
	Discovery bool      `json:"discovery"`  // maillage servers it makes known are read once
	Rate      int       `json:"rate"`       // objects accepted per minute
	MaxStored int       `json:"max_stored"` // objects and organisations stored through it
	Since     time.Time `json:"since"`
	Received  int64     `json:"received"`
	Stored    int64     `json:"stored"`
	Dropped   int64     `json:"dropped"`
	Refused   int64     `json:"refused"`
	Limited   int64     `json:"limited"`
}

// Relays is the answer of GET /api/v1/relays.
type Relays struct {
	Relays []Relay `json:"relays"`
}

// RelayInput is the body of POST, PATCH and DELETE /api/v1/relays: the
// relay's URL, and for PATCH the settings to change.
type RelayInput struct {
	URL       string `json:"url"`
	Paused    *bool  `json:"paused,omitempty"`
	Discovery *bool  `json:"discovery,omitempty"`
	Rate      *int   `json:"rate,omitempty"`
	MaxStored *int   `json:"max_stored,omitempty"`
}

// RelayOf is r as the API shows it.
func RelayOf(r model.Relay) Relay {
	return Relay{URL: r.URL, Protocol: r.Protocol, Actor: r.Actor, Inbox: r.Inbox, State: r.State, Paused: r.Paused,
		Discovery: !r.NoDiscovery,
		Rate:      r.Rate, MaxStored: r.MaxStored, Since: r.Since, Received: r.Received, Stored: r.Stored,
		Dropped: r.Dropped, Refused: r.Refused, Limited: r.Limited}
}
