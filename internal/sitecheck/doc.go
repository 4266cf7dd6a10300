// Package sitecheck reads an organisation's website to see whether it
// proves who it is: a link back to the actor with rel="me", as Mastodon
// verifies profile links (app/services/verify_link_service.rb), or a claim
// token served at a well-known path. It fetches through the guarded client
// it is given (federation/safehttp), so a website naming a private address,
// or redirecting to one, is refused unless the instance allows them.
package sitecheck
