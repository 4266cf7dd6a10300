package demo

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/federation/delivery"
	"codeberg.org/maillage/maillage/internal/uris"
)

// follows counts the follows the instances' actors sent, and how many were
// accepted, through each instance's service.
func (n *Network) follows(ctx context.Context) (accepted, total int) {
	for _, in := range n.Instances {
		h, _ := in.Server.Service.Held(ctx)
		accepted += h.Accepted
		total += h.Follows
	}
	return accepted, total
}

// state is what the instances hold from each other, summed over all of
// them, and what they should hold once the network has formed.
type state struct {
	pending              int // deliveries still queued
	orgs, wantOrgs       int // remote organisations known
	objects, wantObjects int // remote projects and calls held
}

func (s state) String() string {
	return fmt.Sprintf("deliveries pending %d, organisations known %d/%d, projects and calls received %d/%d",
		s.pending, s.orgs, s.wantOrgs, s.objects, s.wantObjects)
}

func (s state) formed() bool {
	return s.pending == 0 && s.orgs >= s.wantOrgs && s.objects >= s.wantObjects
}

func (n *Network) state(ctx context.Context) state {
	var st state
	allOrgs, allObjects := 0, 0
	for _, in := range n.Instances {
		allOrgs += len(in.Orgs)
		for _, so := range in.Orgs {
			allObjects += len(so.Objects)
		}
	}
	for _, in := range n.Instances {
		st.wantOrgs += allOrgs - len(in.Orgs)
		own := 0
		for _, so := range in.Orgs {
			own += len(so.Objects)
		}
		st.wantObjects += allObjects - own
		if qs, err := delivery.QueueStats(in.Server.Store); err == nil {
			st.pending += qs.Depth
		}
		h, _ := in.Server.Service.Held(ctx)
		st.orgs += h.RemoteOrgs
		st.objects += h.RemoteObjects
	}
	return st
}

// Settle waits until no delivery is pending and every instance knows every
// other instance's organisations and holds their projects and calls,
// printing progress as it changes. It gives up after FormTimeout.
func (n *Network) Settle(ctx context.Context) error {
	last := ""
	var st state
	err := n.poll(ctx, func() bool {
		st = n.state(ctx)
		if line := st.String(); line != last {
			fmt.Fprintln(n.out, line)
			last = line
		}
		return st.formed()
	})
	if errors.Is(err, errTimeout) {
		return fmt.Errorf("demo: the network has not formed after %s: %s", n.opts.FormTimeout, st)
	}
	return err
}

// Summary writes what to open and how to log in.
func (n *Network) Summary(w io.Writer) {
	orgs, objects := 0, 0
	for _, in := range n.Instances {
		orgs += len(in.Orgs)
		for _, so := range in.Orgs {
			objects += len(so.Objects)
		}
	}
	fmt.Fprintf(w, "\nThe network is up in %s: %d instances, %d organisations, %d projects and calls.\n",
		time.Since(n.started).Round(100*time.Millisecond), len(n.Instances), orgs, objects)
	fmt.Fprintln(w, "\nOpen a directory (each one lists the whole network):")
	for _, in := range n.Instances {
		fmt.Fprintf(w, "  %s\n", in.Directory())
	}
	fmt.Fprintln(w, "\nOrganisations to follow, by handle (from another instance, or a fediverse server that reaches this machine):")
	for _, in := range n.Instances {
		handles := make([]string, len(in.Orgs))
		for i, so := range in.Orgs {
			handles[i] = in.Handle(so.Name)
		}
		fmt.Fprintf(w, "  %s\n", strings.Join(handles, "  "))
	}
	fmt.Fprintln(w, "\nAdministration: log in at /login on any instance, e.g.", uris.URIs{Base: n.Instances[0].Base}.Login())
	if n.Password != "" {
		fmt.Fprintf(w, "  username %s, password %s  (shown once)\n", Admin, n.Password)
	} else {
		fmt.Fprintf(w, "  username %s, with the password printed by the first run\n", Admin)
	}
	fmt.Fprintln(w, "\nAdmin API tokens, for the command-line client (shown once):")
	for _, in := range n.Instances {
		if in.Token == "" {
			fmt.Fprintf(w, "  %s: printed by the first run\n", in.Host)
			continue
		}
		fmt.Fprintf(w, "  MAILLAGE_URL=%s MAILLAGE_TOKEN=%s\n", in.Base, in.Token)
	}
	if n.tempDir {
		fmt.Fprintf(w, "\nData: %s (removed on exit)\n", n.dir)
	} else {
		fmt.Fprintf(w, "\nData: %s (kept)\n", n.dir)
	}
	fmt.Fprintln(w, "The projects and calls are invented examples, marked EXAMPLE. Press Ctrl-C to stop.")
}
