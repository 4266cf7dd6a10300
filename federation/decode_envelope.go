package federation

// envelopeTypes are the activity types the inbox reads as an envelope:
// those of go-fed v1.0.0's ActivityStreams vocabulary (and ForgeFed's
// Push) that have both an actor and an object property, the types its
// resolver gives an actor and object to. Any other type is answered 202
// and ignored (ErrUnknownType). The inbox names them from the decoded
// JSON rather than through go-fed's resolver, which parsed the three IRIs
// and built its property iterators for each activity (4.7 KB and 24
// allocations); TestEnvelopeTypesAsGoFed checks this list against go-fed.
var envelopeTypes = map[string]bool{
	"Accept": true, "Activity": true, "Add": true, "Announce": true, "Block": true, "Create": true,
	"Delete": true, "Dislike": true, "Flag": true, "Follow": true, "Ignore": true, "Invite": true,
	"Join": true, "Leave": true, "Like": true, "Listen": true, "Move": true, "Offer": true,
	"Read": true, "Reject": true, "Remove": true, "TentativeAccept": true, "TentativeReject": true,
	"Undo": true, "Update": true, "View": true, "Push": true,
}
