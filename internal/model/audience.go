package model

import "slices"

// Audience is who a received object is addressed to, classified from its
// to/cc as Mastodon does (app/lib/activitypub/parser/status_parser.rb
// #visibility) and GoToSocial (internal/ap/extract.go ExtractVisibility).
type Audience string

const (
	AudiencePublic    Audience = "public"    // the Public collection in to
	AudienceUnlisted  Audience = "unlisted"  // the Public collection in cc only
	AudienceFollowers Audience = "followers" // the author's followers collection in to
	AudienceDirect    Audience = "direct"    // only the actors named in to/cc
)

// MaxAddressed bounds how many local actors a direct object keeps as its
// recipients.
const MaxAddressed = 64

// EffectiveAudience is o's audience for every visibility decision. Local
// objects are public (an organisation publishes to the Public collection).
// A remote object stored before audiences were recorded has none; it is
// decided from what it is:
//   - a project or a call: maillage's own vocabulary, which every maillage
//     version so far has published only to the Public collection
//     (FEDERATION.md), and which no other software emits, so public;
//   - any other post (a Note from a Mastodon account, say) may have been
//     followers-only or direct: treated as followers-only, never shown
//     anonymously, until an Update records its audience.
func (o Object) EffectiveAudience() Audience {
	switch {
	case o.Audience != "":
		return o.Audience
	case o.Local, o.Kind.Valid():
		return AudiencePublic
	}
	return AudienceFollowers
}

// IsPublic reports whether o may be listed and shown to anyone: the
// directory, feeds, exports, public pages and counts, and notifications
// to people who do not follow its author.
func (o Object) IsPublic() bool { return o.EffectiveAudience() == AudiencePublic }

// Viewer is a signed-in account looking at a received object: its Person
// actor's IRI and whether that actor has an accepted follow of the
// object's author. The zero Viewer is anonymous.
type Viewer struct {
	Actor         string
	FollowsAuthor bool
}

// VisibleTo is the one visibility rule for objects: public ones to
// anyone; unlisted and followers-only ones to the followers of their
// author (Mastodon shows unlisted posts in followers' home timelines);
// direct ones to the local actors they address only.
func (o Object) VisibleTo(v Viewer) bool {
	switch o.EffectiveAudience() {
	case AudiencePublic:
		return true
	case AudienceUnlisted, AudienceFollowers:
		return v.Actor != "" && v.FollowsAuthor
	case AudienceDirect:
		return v.Actor != "" && slices.Contains(o.Addressed, v.Actor)
	}
	return false
}
