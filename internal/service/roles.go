package service

import (
	"slices"
	"time"

	"codeberg.org/maillage/maillage/store"
)

// Role is what an account may do on the instance.
type Role string

// The roles (issue #5). An administrator runs the instance; an editor
// publishes for its organisations; a member follows, reads and proposes
// answers to calls.
const (
	RoleAdmin  Role = "admin"
	RoleEditor Role = "editor"
	RoleMember Role = "member"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{RoleAdmin, RoleEditor, RoleMember}

// IsValid reports whether r is one of Roles.
func (r Role) IsValid() bool { return slices.Contains(Roles, r) }

// Action is something an account asks to do; Can decides.
type Action string

// The actions. Those marked (org) are about one local organisation.
const (
	ActManageAccounts Action = "manage-accounts"
	ActModerate       Action = "moderate"
	ActSettings       Action = "settings"
	ActReadAdmin      Action = "read-admin"     // the admin interface; (org) for one organisation's pages
	ActPublish        Action = "publish"        // (org)
	ActEditProfile    Action = "edit-profile"   // (org)
	ActFollow         Action = "follow"         // (org)
	ActProposeAnswer  Action = "propose-answer" // (org)
)

// Account is an account as listed: never the hash.
type Account struct {
	Username string    `json:"username"`
	Role     Role      `json:"role"`
	Orgs     []string  `json:"orgs,omitempty"`
	Disabled bool      `json:"disabled,omitempty"`
	Pending  bool      `json:"pending,omitempty"` // signed up, waiting for approval
	Message  string    `json:"message,omitempty"` // the applicant's message
	Created  time.Time `json:"created"`
}

// HasOrg reports whether org is one of a's organisations.
func (a Account) HasOrg(org string) bool { return org != "" && slices.Contains(a.Orgs, org) }

// Can reports whether a may do act (about the local organisation org,
// for the actions that take one). A disabled account can do nothing; an
// administrator can do everything; an editor publishes, edits the profile
// and follows for its organisations and reads their admin pages; a member
// follows and proposes answers for its organisations. Every use case asks
// it (Principal.Can) for its principal: hiding a button is never the check.
func Can(a Account, act Action, org string) bool {
	if a.Disabled || a.Username == "" {
		return false
	}
	switch a.Role {
	case RoleAdmin:
		return true
	case RoleEditor:
		switch act {
		case ActReadAdmin:
			return org == "" || a.HasOrg(org)
		case ActPublish, ActEditProfile, ActFollow, ActProposeAnswer:
			return a.HasOrg(org)
		}
	case RoleMember:
		switch act {
		case ActFollow, ActProposeAnswer:
			return a.HasOrg(org)
		}
	}
	return false
}

// accountOf converts a stored record; a record without a role predates
// roles and was an administrator.
func accountOf(a store.Account) Account {
	role := Role(a.Role)
	if role == "" {
		role = RoleAdmin
	}
	return Account{Username: a.Username, Role: role, Orgs: slices.Clone(a.Orgs), Disabled: a.Disabled,
		Pending: a.Pending, Message: a.Message, Created: a.Created}
}
