package cli

import (
	"context"
	"fmt"
	"strings"
)

func runBlock(ctx context.Context, e *env, args []string) error {
	return runBlockTarget(ctx, e, args, "block", "POST")
}

func runUnblock(ctx context.Context, e *env, args []string) error {
	return runBlockTarget(ctx, e, args, "unblock", "DELETE")
}

// runBlockTarget blocks or unblocks the one argument: an actor URL, a
// name@host handle of a known actor, or a host.
func runBlockTarget(ctx context.Context, e *env, args []string, verb, method string) error {
	fs := newFlags(e, verb)
	mk := clientFlags(fs, e)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: maillage %s actor URL | name@host | host", verb)
	}
	c, err := mk()
	if err != nil {
		return err
	}
	return c.show(ctx, e, method, "/api/v1/blocks", map[string]string{"target": pos[0]})
}

func runBlocks(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "blocks")
	mk := clientFlags(fs, e)
	limit := limitFlag(fs)
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	return c.list(ctx, e, "/api/v1/blocks", *limit)
}

func runReports(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "reports")
	mk := clientFlags(fs, e)
	limit := limitFlag(fs)
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	return c.list(ctx, e, "/api/v1/reports", *limit)
}

// runReport reports a remote actor; with -forward the report goes to the
// actor's server as a Flag signed by the instance actor.
func runReport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "report")
	mk := clientFlags(fs, e)
	comment := fs.String("comment", "", "why (1,000 characters at most)")
	objects := fs.String("objects", "", "comma-separated IRIs of the reported projects, calls or posts")
	forward := fs.Bool("forward", false, "send the report to the actor's server")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: maillage report [-comment TEXT] [-objects IRI,...] [-forward] actor URL | name@host")
	}
	c, err := mk()
	if err != nil {
		return err
	}
	in := map[string]any{"actor": strings.TrimSpace(pos[0]), "objects": splitList(*objects),
		"comment": *comment, "forward": *forward}
	return c.show(ctx, e, "POST", "/api/v1/reports", in)
}
