// Package webkit is the plumbing shared by the pages (package web) and the
// administration forms (package admin): the embedded templates and static
// files and their rendering in the reader's language, field errors and
// option lists of forms, the session and its account in the request
// context, the cross-origin protection of forms, the login limiter (one
// instance for every form that checks or hashes a password), and the
// interests form of an account or an organisation. It holds no handler of
// its own.
package webkit
