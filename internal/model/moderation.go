package model

import "time"

// Block kinds.
const (
	BlockActor  = "actor"  // one remote actor, by IRI
	BlockDomain = "domain" // every actor of a server, by host[:port]
)

// Block is a remote actor or a whole server this instance refuses to deal
// with: its activities are refused, its content is hidden (not deleted, so
// unblocking shows it again) and nothing is delivered to it.
type Block struct {
	Target  string    `json:"target"` // actor IRI, or host[:port] in lower case
	Kind    string    `json:"kind"`   // BlockActor or BlockDomain
	Handle  string    `json:"handle,omitempty"`
	Created time.Time `json:"created"`
}

// Report is a moderation report (ActivityPub Flag): received from another
// server about our actors or objects, or (Local) sent by this instance
// about a remote actor.
type Report struct {
	ID       uint64    `json:"id"`
	Activity string    `json:"activity"` // IRI of the Flag
	Actor    string    `json:"actor"`    // who reports: usually the instance actor of the reporter's server
	Target   string    `json:"target"`   // the reported actor's IRI
	Objects  []string  `json:"objects,omitempty"`
	Comment  string    `json:"comment,omitempty"` // plain text
	Local    bool      `json:"local,omitempty"`   // sent by this instance
	Sent     bool      `json:"sent,omitempty"`    // forwarded to the reported actor's server as a Flag (Local only)
	Received time.Time `json:"received"`
	// Dismissed is when an administrator closed a received report
	// (dismissed it, or blocked what it reported).
	Dismissed time.Time `json:"dismissed,omitzero"`
}

// FlagRef is what an outgoing Flag carries besides its envelope: the
// reported actor and objects, and the comment.
type FlagRef struct {
	Objects []string `json:"objects"`
	Content string   `json:"content,omitempty"`
}
