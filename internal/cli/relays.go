package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"codeberg.org/maillage/maillage/internal/wire"
)

const relayUsage = "usage: maillage relay add URL | remove URL | pause URL | resume URL | set [-rate N] [-max-stored N] [-discovery on|off] URL"

// runRelay joins, leaves or sets a relay. URL is a Mastodon relay's inbox
// (https://relay.example/inbox) or a LitePub relay's actor
// (https://relay.example/actor): the instance tells which from what it
// serves.
func runRelay(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 {
		return errors.New(relayUsage)
	}
	verb := args[0]
	fs := newFlags(e, "relay "+verb)
	mk := clientFlags(fs, e)
	var rate, maxStored *int
	var discovery *string
	if verb == "set" {
		rate = fs.Int("rate", 0, "objects accepted per minute from the relay")
		maxStored = fs.Int("max-stored", 0, "objects and organisations stored through the relay, in all")
		discovery = fs.String("discovery", "", "on or off: read once the maillage servers the relay makes known")
	}
	pos, err := parseArgs(fs, args[1:])
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return errors.New(relayUsage)
	}
	c, err := mk()
	if err != nil {
		return err
	}
	in := wire.RelayInput{URL: pos[0]}
	yes, no := true, false
	switch verb {
	case "add":
		return c.show(ctx, e, "POST", "/api/v1/relays", in)
	case "remove":
		return c.show(ctx, e, "DELETE", "/api/v1/relays", in)
	case "pause":
		in.Paused = &yes
	case "resume":
		in.Paused = &no
	case "set":
		switch *discovery {
		case "on":
			in.Discovery = &yes
		case "off":
			in.Discovery = &no
		case "":
		default:
			return errors.New("relay set: -discovery is on or off")
		}
		if *rate == 0 && *maxStored == 0 && in.Discovery == nil {
			return errors.New("usage: maillage relay set [-rate N] [-max-stored N] [-discovery on|off] URL")
		}
		if *rate != 0 {
			in.Rate = rate
		}
		if *maxStored != 0 {
			in.MaxStored = maxStored
		}
	default:
		return errors.New(relayUsage)
	}
	return c.show(ctx, e, "PATCH", "/api/v1/relays", in)
}

// runRelays lists the relays joined, with their state and counters.
func runRelays(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "relays")
	mk := clientFlags(fs, e)
	asJSON := fs.Bool("json", false, "print the API's JSON")
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	var rs wire.Relays
	if err := c.do(ctx, "GET", "/api/v1/relays", nil, &rs); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, rs)
	}
	printRelays(e.stdout, rs.Relays)
	return nil
}

func printRelays(w io.Writer, rs []wire.Relay) {
	if len(rs) == 0 {
		fmt.Fprintln(w, "No relays. Join one with: maillage relay add URL")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "URL\tPROTOCOL\tSTATE\tRATE/MIN\tSTORED/MAX\tRECEIVED\tDROPPED\tREFUSED\tLIMITED")
	for _, r := range rs {
		state := r.State
		if r.Paused {
			state += ", paused"
		}
		if !r.Discovery {
			state += ", no discovery"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d/%d\t%d\t%d\t%d\t%d\n", r.URL, r.Protocol, state, r.Rate,
			r.Stored, r.MaxStored, r.Received, r.Dropped, r.Refused, r.Limited)
	}
	tw.Flush()
}
