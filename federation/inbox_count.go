package federation

// Inbox outcomes, as told to Config.OnInbox.
const (
	// InboxAccepted: verified and processed (a duplicate, or an activity
	// that changes nothing here, is accepted too).
	InboxAccepted = "accepted"
	// InboxIgnored: answered 202 without processing (unknown type, Delete
	// of an actor we never knew).
	InboxIgnored = "ignored"
	// InboxRefused: busy, too large, wrong content type, malformed,
	// forbidden, or failed while processing.
	InboxRefused = "refused"
	// InboxRejectedSignature: no valid HTTP signature, or a key that is not
	// the actor's.
	InboxRejectedSignature = "rejected-signature"
)

// countedTypes bounds the type label: remote input never makes a new series.
var countedTypes = map[string]bool{
	"Follow": true, "Undo": true, "Accept": true, "Reject": true, "Create": true, "Update": true,
	"Delete": true, "Announce": true, "Like": true, "Add": true, "Remove": true, "Block": true,
	"Flag": true, "Move": true, "EmojiReact": true,
}

// countInbox tells OnInbox about one inbox POST. typ is the decoded type,
// "" when the body was not (or could not be) decoded: an unverified body is
// never decoded to be counted.
func (f *Federation) countInbox(typ, outcome string) {
	if f.onInbox == nil {
		return
	}
	switch {
	case typ == "":
		typ = "unknown"
	case !countedTypes[typ]:
		typ = "other"
	}
	f.onInbox(typ, outcome)
}
