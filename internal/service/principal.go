package service

import (
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// principalKind says where a Principal comes from. Its zero value is
// noPrincipal, so a zero Principal may do nothing.
type principalKind uint8

const (
	noPrincipal principalKind = iota
	accountPrincipal
	tokenPrincipal
	systemPrincipal
)

// Principal is who a use case acts for: an account signed in on the web, the
// holder of the admin API token, or the instance itself (its own jobs,
// seeding, the command line and federation). Every use case that acts for
// someone takes one and checks it with Can before it reads private data or
// writes; the HTTP layer only authenticates. The zero Principal may do
// nothing: rights come only from the constructors.
type Principal struct {
	kind principalKind
	acc  Account // accountPrincipal only
	job  string  // systemPrincipal only: what acts, for the logs
}

// AccountPrincipal is the account a web session belongs to; it may do what
// Can allows its role.
func AccountPrincipal(acc Account) Principal { return Principal{kind: accountPrincipal, acc: acc} }

// TokenPrincipal is the holder of the instance's admin API token, which
// grants what an administrator may do.
func TokenPrincipal() Principal { return Principal{kind: tokenPrincipal} }

// System is the instance acting for itself (job names what acts: "seed",
// "cli", "inbox"...): every right, so only the composition root, the
// command line and the service's own jobs use it, never a request's
// handler on behalf of a visitor.
func System(job string) Principal { return Principal{kind: systemPrincipal, job: job} }

// Account is the principal's account, the zero Account if it is not one.
func (p Principal) Account() Account { return p.acc }

// Username is the principal's account name ("" if it is not an account).
func (p Principal) Username() string { return p.acc.Username }

// String names the principal in logs.
func (p Principal) String() string {
	switch p.kind {
	case accountPrincipal:
		return "account:" + p.acc.Username
	case tokenPrincipal:
		return "api-token"
	case systemPrincipal:
		return "system:" + p.job
	}
	return "nobody"
}

// Can reports whether p may do act about the local organisation org (for
// the actions that take one); an account principal follows Can.
func (p Principal) Can(act Action, org string) bool {
	switch p.kind {
	case accountPrincipal:
		return Can(p.acc, act, org)
	case tokenPrincipal, systemPrincipal:
		return true
	}
	return false
}

// canActAs is Can, and also lets an account act as its own Person actor
// for the actions a member does for itself (follow, unfollow).
func (p Principal) canActAs(act Action, local string) bool {
	if p.kind == accountPrincipal && !p.acc.Disabled && p.acc.Username != "" && local == model.PersonName(p.acc.Username) {
		return true
	}
	return p.Can(act, local)
}

// authorize returns nil if p may do act about org, or an error of the
// forbidden kind naming what was refused.
func authorize(p Principal, act Action, org string) error {
	if p.Can(act, org) {
		return nil
	}
	if org != "" {
		return fmt.Errorf("%s may not %s for %s: %w", p, act, org, ErrForbidden)
	}
	return fmt.Errorf("%s may not %s: %w", p, act, ErrForbidden)
}

// authorizeSelf returns nil if p may act on username's own data (its
// settings, interests, notifications, feed): the account itself, or
// whoever manages accounts; else an error of the forbidden kind.
func authorizeSelf(p Principal, username, what string) error {
	if p.kind == accountPrincipal && !p.acc.Disabled && username != "" && p.acc.Username == username {
		return nil
	}
	if p.Can(ActManageAccounts, "") {
		return nil
	}
	return fmt.Errorf("%s may not %s of %s: %w", p, what, username, ErrForbidden)
}
