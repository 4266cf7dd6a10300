package cli

import (
	"context"
	"fmt"
	"net/url"
)

func runClaims(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "claims")
	mk := clientFlags(fs, e)
	limit := limitFlag(fs)
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	return c.list(ctx, e, "/api/v1/claims", *limit)
}

func runClaimConfirm(ctx context.Context, e *env, args []string) error {
	return runClaimDecision(ctx, e, args, "claim-confirm", "confirm")
}

func runClaimRefuse(ctx context.Context, e *env, args []string) error {
	return runClaimDecision(ctx, e, args, "claim-refuse", "refuse")
}

// runClaimDecision confirms or refuses the claim whose ID is the one
// argument (as `maillage claims` lists them).
func runClaimDecision(ctx context.Context, e *env, args []string, name, verb string) error {
	fs := newFlags(e, name)
	mk := clientFlags(fs, e)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: maillage %s ID", name)
	}
	c, err := mk()
	if err != nil {
		return err
	}
	return c.show(ctx, e, "POST", "/api/v1/claims/"+url.PathEscape(pos[0])+"/"+verb, nil)
}
