package cli

import (
	"context"
	"net/url"
)

// runMove moves an organisation (POST /api/v1/orgs/NAME/move).
func runMove(ctx context.Context, e *env, args []string) error {
	return runTarget(ctx, e, args, "move")
}

// runAliases sets an organisation's aliases (PUT /api/v1/orgs/NAME/aliases).
func runAliases(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "aliases")
	mk := clientFlags(fs, e)
	org := fs.String("org", envOr(e, "MAILLAGE_ORG", "coop"), "local organisation (env MAILLAGE_ORG)")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	c, err := mk()
	if err != nil {
		return err
	}
	if pos == nil {
		pos = []string{}
	}
	return c.show(ctx, e, "PUT", "/api/v1/orgs/"+url.PathEscape(*org)+"/aliases", map[string][]string{"also_known_as": pos})
}
