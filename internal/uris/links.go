package uris

import "net/url"

// The addresses below are pages and documents rather than ActivityStreams
// objects, but they are public too: they are e-mailed, shown once, or
// linked from other servers, so they are built here with the IRIs.

// FollowersOf is the followers collection of a local actor known by its
// IRI (Actor(name)), as an activity's cc names it.
func (u URIs) FollowersOf(actorIRI string) string { return actorIRI + "/followers" }

// NodeInfo is the NodeInfo document of schema version (2.0 or 2.1).
func (u URIs) NodeInfo(version string) string { return u.Base + "/nodeinfo/" + version }

// Directory is the public directory page.
func (u URIs) Directory() string { return u.Base + "/directory" }

// OpenCallsFeed is the Atom feed of open calls.
func (u URIs) OpenCallsFeed() string { return u.Base + "/directory/calls.atom" }

// OpenCallsPage is the directory page listing the open calls.
func (u URIs) OpenCallsPage() string { return u.Base + "/directory?kind=call&open=1" }

// Me is the signed-in account's own page.
func (u URIs) Me() string { return u.Base + "/me" }

// AccountFeed is the private Atom feed of the account whose feed secret
// is secret.
func (u URIs) AccountFeed(secret string) string { return u.Base + "/me/feed/" + secret + ".atom" }

// Join is the sign-up page of an invitation code.
func (u URIs) Join(code string) string { return u.Base + "/join?code=" + url.QueryEscape(code) }

// Confirm is the page confirming username's e-mail address with token.
func (u URIs) Confirm(username, token string) string {
	return u.Base + "/confirm/" + username + "/" + token
}

// Reset is the password reset form of token.
func (u URIs) Reset(token string) string { return u.Base + "/reset/" + token }

// Setup is the first-run setup page with its one-time token.
func (u URIs) Setup(token string) string { return u.Base + "/setup?token=" + url.QueryEscape(token) }

// Login is the sign-in page.
func (u URIs) Login() string { return u.Base + "/login" }
