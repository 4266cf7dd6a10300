// Package web serves maillage's pages: the public pages and directory with
// their exports, sign-in, the member area, and the join, reset and sign-up
// flows, behind the middleware every route shares (security headers,
// language, cross-origin protection). The pages of actor and object ids
// are mounted by federation (federation.Pages), the administration forms
// by package admin, the JSON admin API by package api; internal/server
// assembles them. What web and admin share (templates, sessions, the login
// limiter, form helpers) is in package webkit.
package web
