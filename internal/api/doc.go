// Package api is the JSON administration API under /api/v1, which the CLI
// and scripts use with a bearer token (its wire types are in
// internal/wire), and the operations endpoints: /healthz, /readyz,
// /metrics and the database backup.
package api
