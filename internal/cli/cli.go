// Package cli implements the maillage command: `serve` runs an instance,
// the other subcommands talk to a running instance's admin API (bbolt
// allows one process, so they never open the store themselves).
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

// ErrUsage reports a command line that could not be understood; the usage
// has already been printed.
var ErrUsage = errors.New("usage")

// Version is set at build time with -ldflags "-X ...cli.Version=v1.2.3".
var Version = "dev"

type command struct {
	name, usage string
	run         func(ctx context.Context, env *env, args []string) error
}

// env is what a subcommand may touch.
type env struct {
	stdin          io.Reader // import reads FILE "-" from it
	stdout, stderr io.Writer
	getenv         func(string) string
}

func commands() []command {
	return []command{
		{"serve", "run an instance", runServe},
		{"demo", "run a demo network of four instances on this machine, with seed data", runDemo},
		{"config", "print the effective configuration", runConfig},
		{"version", "print the version", func(_ context.Context, e *env, _ []string) error {
			fmt.Fprintln(e.stdout, "maillage", Version)
			return nil
		}},
		{"orgs", "list the organisations of the instance", runOrgs},
		{"org-create", "create an organisation: org-create NAME [-display-name ...]", runOrgCreate},
		{"publish", "publish a project or a call", runPublish},
		{"edit", "change only the given fields of a project or call: edit -id IRI [fields]", runEdit},
		{"delete", "delete a project or call: delete -id IRI", runDelete},
		{"objects", "list projects and calls of an organisation or actor", runObjects},
		{"replies", "list the replies to a project or call: replies -id IRI", runReplies},
		{"reply", "answer a project or call: reply [-org NAME] -id IRI -text TEXT", runReply},
		{"follow", "follow an actor: follow [-org NAME] name@host | URL | host", runFollow},
		{"unfollow", "unfollow an actor", runUnfollow},
		{"move", "move an organisation to another actor, which lists it in its aliases: move [-org NAME] name@host | actor URL", runMove},
		{"aliases", "set the actors an organisation moves from: aliases [-org NAME] [ACTOR-URL...] (none: clear)", runAliases},
		{"followers", "list followers: followers [-org NAME]", runFollowers},
		{"following", "list follows: following [-org NAME]", runFollowing},
		{"admin-create", "create a web administrator: admin-create -username NAME (password on stdin)", runAdminCreate},
		{"account-delete", "delete a web account and end its sessions: account-delete -username NAME (also: admin-delete)", runAccountDelete},
		{"block", "block an actor or a server: block actor URL | name@host | host", runBlock},
		{"unblock", "lift a block: unblock actor URL | name@host | host", runUnblock},
		{"blocks", "list the blocked actors and servers", runBlocks},
		{"relay", "join, leave or set a relay: relay add|remove|pause|resume|set URL", runRelay},
		{"relays", "list the relays joined, their state and counters", runRelays},
		{"reports", "list the reports received and made", runReports},
		{"report", "report a remote actor: report [-comment TEXT] [-objects IRI,...] [-forward] ACTOR", runReport},
		{"claims", "list the claims of imported organisations", runClaims},
		{"claim-confirm", "confirm a proven claim and print the editor invitation: claim-confirm ID", runClaimConfirm},
		{"claim-refuse", "refuse a claim: claim-refuse ID", runClaimRefuse},
		{"backup", "download a consistent copy of the database and the uploaded images: backup -o FILE [-media DIR]", runBackup},
		{"restore", "put a backup in a new data directory: restore -i FILE [-media DIR] -data DIR", runRestore},
		{"import", "import a map's organisations: import -format gogocarto|geojson|csv [-taxonomy FILE] [-source NAME] [-licence ID] [-dry-run] FILE", runImport},
		{"queue", "show the delivery queue: queue [-retry ID | -drop ID]", runQueue},
		{"load", "measure this binary as an instance on loopback: start, memory, throughput (Linux)", runLoad},
	}
}

// Run runs the command line args (without the program name).
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	return RunWith(ctx, args, stdout, stderr, os.Getenv)
}

// RunWith is Run with the environment read through getenv (tests).
func RunWith(ctx context.Context, args []string, stdout, stderr io.Writer, getenv func(string) string) error {
	return RunWithStdin(ctx, args, os.Stdin, stdout, stderr, getenv)
}

// RunWithStdin is RunWith with standard input read from stdin (tests).
func RunWithStdin(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer, getenv func(string) string) error {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr, getenv: getenv}
	if len(args) == 0 {
		args = []string{"serve"}
	}
	name := args[0]
	if name == "admin-delete" {
		name = "account-delete" // its name before accounts had roles
	}
	for _, c := range commands() {
		if c.name == name {
			err := c.run(ctx, e, args[1:])
			if errors.Is(err, flag.ErrHelp) {
				return ErrUsage
			}
			return err
		}
	}
	if args[0] != "help" && args[0] != "-h" && args[0] != "--help" {
		fmt.Fprintf(stderr, "unknown command %q\n\n", args[0])
	}
	fmt.Fprintln(stderr, "usage: maillage COMMAND [flags]   (no command: serve)")
	for _, c := range commands() {
		fmt.Fprintf(stderr, "  %-11s %s\n", c.name, c.usage)
	}
	return ErrUsage
}
