// Package webkit is the plumbing shared by the pages (package web) and the
// administration forms (package admin): the embedded templates and static
// files and their rendering in the reader's language, field errors and
// option lists of forms, the session and its account in the request
// context, the cross-origin protection of forms, the login limiter (one
// instance for every form that checks or hashes a password), and the
// interests form of an account or an organisation. It holds no handler of
// its own.
//
// Templates run on tmpl/htmltemplate, a copy of html/template whose engine
// calls no methods (tmpl/texttemplate/doc.go says why: 12 MB of the
// binary). They read fields and map keys only, and call the functions of
// render.go's funcs, bound to the page's language: {{t "key"}} for a
// text, {{date .Deadline}}, {{attrs $e "field"}}. A view computes in Go
// what a method gave (a follow button, whether a call can be answered).
package webkit
