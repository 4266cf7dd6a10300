// Package wire holds the JSON documents of the admin API that the CLI
// reads too, so that the CLI need not import the HTTP handlers. It
// imports only model; the JSON tags are the API's contract.
package wire

import (
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// DeliveryView is a queued delivery as the admin API shows it.
type DeliveryView struct {
	ID          uint64    `json:"id"`
	ActivityID  string    `json:"activity_id"`
	Inbox       string    `json:"inbox"`
	Host        string    `json:"host"`
	Attempts    int       `json:"attempts"`
	Created     time.Time `json:"created"`
	NextAttempt time.Time `json:"next_attempt"`
	LastError   string    `json:"last_error,omitempty"`
}

// FailingHost sums up the queued deliveries to one host that failed at
// least once.
type FailingHost struct {
	Host      string    `json:"host"`
	Queued    int       `json:"queued"`  // every queued delivery to the host
	Failing   int       `json:"failing"` // those tried at least once
	NextRetry time.Time `json:"next_retry"`
	LastError string    `json:"last_error"` // of the delivery retried next
}

// QueueView is the answer of GET /api/v1/deliveries.
type QueueView struct {
	Total      int            `json:"total"`
	Oldest     *time.Time     `json:"oldest,omitempty"`    // creation of the oldest queued delivery
	Hosts      []FailingHost  `json:"failing_hosts"`       // most failing first
	Deliveries []DeliveryView `json:"deliveries"`          // in attempt order, at most limit
	Truncated  bool           `json:"truncated,omitempty"` // more follow: see Next
	// Next is the cursor of the following deliveries (?after=), also sent
	// as the answer's Link header.
	Next string `json:"next,omitempty"`
}

// Org is an organisation as the API and the pages show it: never its keys.
type Org struct {
	Name   string `json:"name"`
	ID     string `json:"id"`
	Handle string `json:"handle"`
	model.Profile
	ManualApprove bool     `json:"manual_approve"`
	AlsoKnownAs   []string `json:"also_known_as,omitempty"` // the actors it moves from
	MovedTo       string   `json:"moved_to,omitempty"`      // the actor it moved to
	// Provenance is set on an organisation imported from a map: listed by
	// this instance (Claimed zero) or claimed since.
	Provenance *model.Provenance `json:"provenance,omitempty"`
	// Verified is this instance's own check of the website (never a flag
	// another server sent); set only where the caller asked for it.
	Verified bool `json:"verified,omitempty"`
}

// OrgOf shows o, whose actor IRI is id, on the instance at host.
func OrgOf(o model.Org, id, host string) Org {
	return Org{Name: o.Name, ID: id, Handle: o.Name + "@" + host, Profile: o.Profile, ManualApprove: o.ManualApprove,
		AlsoKnownAs: o.AlsoKnownAs, MovedTo: o.MovedTo, Provenance: o.Provenance}
}
