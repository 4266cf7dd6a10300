// Package testrelay is an ActivityPub relay for tests, on loopback,
// speaking the two relay protocols as the software in use does.
//
// A Follow whose object is the Public collection subscribes with
// Mastodon's protocol (yukimochi/Activity-Relay api/handle.go,
// isFollowAcceptable); a Follow of the relay actor subscribes with
// LitePub's (Pleroma's lib/pleroma/web/activity_pub/relay.ex). Both are
// accepted with an Accept embedding the Follow, sent to the follower's
// inbox and signed by the relay actor; an Undo of the Follow unsubscribes.
//
// A public Create, Update or Delete from a subscribed server (checked by
// its actor's host, as Activity-Relay's isRelayAcceptable does) is sent to
// every other subscriber's shared inbox, signed with the relay's key: to a
// Mastodon-protocol subscriber the body as received (Activity-Relay's
// enqueueRelayActivity); to a LitePub subscriber, for a Create, an
// Announce of the object's id by the relay actor (Pleroma's
// Relay.publish/1, aode-relay's src/routes/inbox.rs handle_announce), and
// an Update or Delete as received (aode-relay's handle_forward). Tests
// also make it send what they want (Send, Announce).
package testrelay
