// Package web serves maillage's pages: the public pages and directory with
// their exports, the member area, and the administration forms, behind the
// middleware every route shares (security headers, language, cross-origin
// protection). The pages of actor and object ids are mounted by federation
// (federation.Pages), the JSON admin API by package api; internal/server
// assembles the three.
package web
