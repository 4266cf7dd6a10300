// Package web is maillage's HTTP surface: the router that puts federation
// and pages on the same URLs (content negotiation), the authenticated JSON
// admin API used by the CLI, the plain HTML pages, and the one place that
// maps errors to statuses.
package web
