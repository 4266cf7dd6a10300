// Package model holds the plain data types shared by every layer of
// maillage: local organisations, remote actors, projects and calls, follows,
// replies, activities and deliveries. It imports nothing of the project but
// the error kinds (internal/errs) and does no I/O; validation of user input lives here so that forms, the admin
// API, seeds and federation all apply the same rules.
package model
