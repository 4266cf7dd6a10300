package model

import "time"

// Activity is an outgoing activity. The service fills it, the federation
// renderer turns it into JSON once, and both are stored together with the
// deliveries it causes, in the same transaction.
type Activity struct {
	ID        string     `json:"id"`
	Type      string     `json:"type"`  // Create, Update, Delete, Follow, Undo, Accept, Reject, Announce, Flag, Move
	Actor     string     `json:"actor"` // local actor name
	ObjectID  string     `json:"object_id,omitempty"`
	Object    *Object    `json:"object,omitempty"` // Create/Update of a project or call
	Reply     *Reply     `json:"reply,omitempty"`  // Create of a reply by one of our organisations
	Org       *Org       `json:"-"`                // Update of an actor profile
	Follow    *FollowRef `json:"follow,omitempty"` // Accept/Reject/Undo of a Follow, or a Follow
	Inner     *Activity  `json:"inner,omitempty"`  // Announce of an activity
	Flag      *FlagRef   `json:"flag,omitempty"`   // Flag: what is reported, and why
	Target    string     `json:"target,omitempty"` // Move: the actor moved to
	To        []string   `json:"to,omitempty"`
	CC        []string   `json:"cc,omitempty"`
	Published time.Time  `json:"published"`
}

// FollowRef is a Follow activity as embedded in Accept, Reject and Undo.
type FollowRef struct {
	ID     string `json:"id"`
	Actor  string `json:"actor"`
	Object string `json:"object"`
}

// Delivery is one POST of one activity to one inbox, persisted until it
// succeeds or is given up.
type Delivery struct {
	ID          uint64    `json:"id"`
	ActivityID  string    `json:"activity_id"`
	Signer      string    `json:"signer"` // local actor name whose key signs
	Inbox       string    `json:"inbox"`
	Attempts    int       `json:"attempts"`
	Created     time.Time `json:"created"`
	NextAttempt time.Time `json:"next_attempt"`
	LastError   string    `json:"last_error,omitempty"`
}
