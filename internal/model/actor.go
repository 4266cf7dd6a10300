package model

import (
	"strings"
	"time"
)

// InstanceName is the reserved local name of the instance actor.
const InstanceName = "instance"

// PersonPrefix starts the local name of an account's Person actor; it is
// not allowed in organisation names, so the two never collide.
const PersonPrefix = "~"

// PersonName is the local actor name of username's Person actor.
func PersonName(username string) string { return PersonPrefix + username }

// PersonUsername returns the account of a Person actor's local name.
func PersonUsername(name string) (string, bool) {
	u, ok := strings.CutPrefix(name, PersonPrefix)
	return u, ok && u != ""
}

// Handle is the user part of a local actor's handle: the username for a
// Person, else the name.
func (o Org) Handle() string {
	if u, ok := PersonUsername(o.Name); ok {
		return u
	}
	return o.Name
}

// Profile is what an organisation says about itself: local organisations
// edit it, remote ones send it with maillage's vocabulary. Text is plain.
type Profile struct {
	DisplayName   string   `json:"display_name"`
	LegalName     string   `json:"legal_name,omitempty"`
	Summary       string   `json:"summary,omitempty"`
	Website       string   `json:"website,omitempty"`
	LegalForm     string   `json:"legal_form,omitempty"`      // code from LegalForms, e.g. fr-scic
	LegalFormText string   `json:"legal_form_text,omitempty"` // as registered, e.g. "SCIC SA"
	Status        string   `json:"status,omitempty"`          // OrgStatuses; empty means active
	Country       string   `json:"country,omitempty"`         // ISO 3166-1 alpha-2
	Location      *Place   `json:"location,omitempty"`
	Sectors       []string `json:"sectors,omitempty"`
	Languages     []string `json:"languages,omitempty"` // BCP 47 working languages
	FoundingYear  int      `json:"founding_year,omitempty"`
	Networks      []string `json:"networks,omitempty"`      // networks and federations it belongs to
	ContactEmail  string   `json:"contact_email,omitempty"` // a role address; never exported in bulk
	ContactURL    string   `json:"contact_url,omitempty"`
	IconURL       string   `json:"icon_url,omitempty"`
	// Logo and Banner are the uploaded images (local) or those the
	// actor's icon and image name (remote): image.go.
	Logo   *Image `json:"logo,omitempty"`
	Banner *Image `json:"banner,omitempty"`
	// Region is the area an instance serves, as its operator writes it
	// ("Occitanie", "Wallonie et Bruxelles"); set on the instance actor.
	Region string `json:"region,omitempty"`
}

// Org is a local actor: an organisation, or the instance actor itself
// (Instance true, ActivityPub type Application). It holds the private key, so
// an Org value must never be logged or serialised to a client.
type Org struct {
	Name     string `json:"name"` // preferredUsername, immutable
	Instance bool   `json:"instance,omitempty"`
	// Person marks an account's own actor (issue #5): its Name is
	// PersonName(username), its type Person, its IRI /members/{username}.
	Person bool `json:"person,omitempty"`
	Profile
	ManualApprove bool        `json:"manual_approve,omitempty"`
	Provenance    *Provenance `json:"provenance,omitempty"` // imported, not self-published (provenance.go)
	PrivateKeyPEM string      `json:"private_key_pem"`
	PublicKeyPEM  string      `json:"public_key_pem"`
	Created       time.Time   `json:"created"`
	Updated       time.Time   `json:"updated,omitzero"`
	// AlsoKnownAs lists the actor IRIs this organisation moves from (its
	// aliases); MovedTo is the actor it moved to, once it has (moves.go).
	AlsoKnownAs []string `json:"also_known_as,omitempty"`
	MovedTo     string   `json:"moved_to,omitempty"`
}

// IsOrganisation reports whether o is an organisation: neither the
// instance actor nor an account's Person. Organisations are the local
// actors that are listed (the directory, NodeInfo's count, the
// organisation pickers) and publish projects and calls; README.md, "In
// the browser", and FEDERATION.md's actor table.
func (o Org) IsOrganisation() bool { return o.Kind() == ActorOrganization }

// Actor is a remote (or local, when seen through federation) actor as last
// fetched. Text fields are sanitised before they are stored.
type Actor struct {
	ID           string    `json:"id"`
	Type         string    `json:"type"`
	Username     string    `json:"username"`
	Host         string    `json:"host"` // host[:port] of the id
	Name         string    `json:"name,omitempty"`
	Summary      string    `json:"summary,omitempty"`
	URL          string    `json:"url,omitempty"`
	Inbox        string    `json:"inbox"`
	SharedInbox  string    `json:"shared_inbox,omitempty"`
	Outbox       string    `json:"outbox,omitempty"`
	Followers    string    `json:"followers,omitempty"`
	KeyID        string    `json:"key_id"`
	PublicKeyPEM string    `json:"public_key_pem"`
	IconURL      string    `json:"icon_url,omitempty"`
	Fetched      time.Time `json:"fetched"`
	// Profile is the organisation profile a maillage instance sends (nil
	// for other software); it feeds the directory.
	Profile *Profile `json:"profile,omitempty"`
	// Provenance is what a maillage instance says of an organisation it
	// lists from an imported map, not self-published (mai:provenance);
	// nil otherwise. Its Claimed is never set from a remote document.
	Provenance *Provenance `json:"provenance,omitempty"`
	// AlsoKnownAs and MovedTo are the actor's alsoKnownAs and movedTo:
	// a Move to this actor is followed only when it lists the old one.
	AlsoKnownAs []string `json:"also_known_as,omitempty"`
	MovedTo     string   `json:"moved_to,omitempty"`
}

// Handle is user@host, or the id when the username is unknown.
func (a *Actor) Handle() string {
	if a.Username == "" {
		return a.ID
	}
	return a.Username + "@" + a.Host
}

// DeliveryInbox is where activities for this actor go: the shared inbox when
// it has one (one request per server), else its personal inbox.
func (a *Actor) DeliveryInbox() string {
	if a.SharedInbox != "" {
		return a.SharedInbox
	}
	return a.Inbox
}

// Follower is a remote actor following one of our local actors.
type Follower struct {
	Actor       string    `json:"actor"`
	Inbox       string    `json:"inbox"`
	SharedInbox string    `json:"shared_inbox,omitempty"`
	FollowID    string    `json:"follow_id"`
	Pending     bool      `json:"pending,omitempty"` // awaiting manual approval
	Since       time.Time `json:"since"`
}

// Follow states of our own follows.
const (
	FollowPending  = "pending"
	FollowAccepted = "accepted"
)

// Following is a follow sent by one of our local actors.
type Following struct {
	Target   string    `json:"target"` // remote actor IRI
	FollowID string    `json:"follow_id"`
	State    string    `json:"state"`
	Since    time.Time `json:"since"`
	// Moves counts the Moves this follow was carried through (a follow of
	// an actor that moved becomes a follow of its target), bounded by
	// MaxMoveHops.
	Moves int `json:"moves,omitempty"`
}
