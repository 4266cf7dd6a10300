// Package admin serves the administration forms under /admin: the
// dashboard, an organisation's profile, projects and calls, network,
// replies and answers received, interests, moderation, the account's
// password and sessions, and the accounts and invitations. Its middleware
// only authenticates (a session that may read the admin area); each use
// case behind a form authorises the principal itself in the service. It
// renders with package webkit, shared with package web.
package admin
