package service

import (
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/model"
)

// AccountProblems are the problems the account forms' use cases find in a
// username and a password (as RedeemInvitation and SignUp do), for a form
// that finds one of its own first (two passwords that differ) to report
// them all at once.
func AccountProblems(username, password string) model.FieldErrors {
	return accountProblems(username, password)
}

// PasswordProblems are the problems of a new password alone (the reset
// form).
func PasswordProblems(password string) model.FieldErrors {
	p := model.FieldErrors{}
	if n := utf8.RuneCountInString(password); n < MinPassword || len(password) > MaxPassword {
		p["password"] = model.Problem("validation.password.short", MinPassword)
	}
	return p
}
