package model

import "time"

// CallStatus is a call's status as shown at a given time: its published
// status (one of CallStatuses) or CallExpired.
type CallStatus string

const (
	CallOpen      CallStatus = "open"
	CallFilled    CallStatus = "filled"
	CallClosed    CallStatus = "closed"
	CallCancelled CallStatus = "cancelled"
	// CallExpired is never published: it is how an open call whose
	// deadline has passed is shown (docs/vocabulary.md, mai:status).
	CallExpired CallStatus = "expired"
)

// CallState is what decides a call's status at a time: the status its
// organisation published and its deadline. Every open, expired, filled or
// closed decision (pages, directory, feeds, matching, reminders, digests,
// answers) goes through it.
type CallState struct {
	Status   string     // as published: one of CallStatuses
	Deadline *time.Time // nil: open-ended
}

// CallState is o's call state; meaningful for calls only.
func (o Object) CallState() CallState {
	return CallState{Status: o.Status, Deadline: o.Deadline}
}

// At is the status shown at now: CallExpired once the deadline of an open
// call has passed (a deadline is an instant in UTC, open up to and
// including it), else the published status.
func (c CallState) At(now time.Time) CallStatus {
	if CallStatus(c.Status) == CallOpen && c.pastDeadline(now) {
		return CallExpired
	}
	return CallStatus(c.Status)
}

// IsOpen reports whether the call takes answers at now: published open
// and its deadline, if any, not passed.
func (c CallState) IsOpen(now time.Time) bool { return c.At(now) == CallOpen }

func (c CallState) pastDeadline(now time.Time) bool {
	return c.Deadline != nil && now.After(*c.Deadline)
}

// CallStatus is o's status as shown at now (see CallState.At); for other
// kinds, the published status.
func (o Object) CallStatus(now time.Time) CallStatus { return o.CallState().At(now) }
