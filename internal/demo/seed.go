package demo

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// createOrgs creates each instance's seed organisations through its own
// service, as the admin API would; those an earlier run created are kept.
func (n *Network) createOrgs(ctx context.Context) error {
	for i, in := range n.Instances {
		names := make([]string, 0, len(in.Orgs))
		for _, so := range in.Orgs {
			names = append(names, so.Name)
			_, err := in.Server.Service.Org(ctx, so.Name)
			if err == nil {
				// From an earlier run: publish again only if it stopped before.
				in.toPublish[so.Name] = !n.hasObjects(ctx, in, so.Name)
				continue
			}
			if !errors.Is(err, service.ErrNotFound) {
				return fmt.Errorf("demo: %s: %w", in.Host, err)
			}
			if _, err := in.Server.Service.CreateOrg(ctx, service.System("seed"), model.Org{Name: so.Name, Profile: so.Profile}); err != nil {
				return fmt.Errorf("demo: %s: %w", in.Host, err)
			}
			in.toPublish[so.Name] = true
		}
		if err := n.describe(ctx, i, in); err != nil {
			return err
		}
		fmt.Fprintf(n.out, "[%d/%d] %s hosts %s\n", i+1, len(n.Instances), in.Host, strings.Join(names, ", "))
	}
	return nil
}

// hasObjects reports whether the local organisation name has published
// anything that is still public.
func (n *Network) hasObjects(ctx context.Context, in *Instance, name string) bool {
	objs, _ := in.Server.Service.ObjectsBy(ctx, in.Actor(name))
	return len(objs) > 0
}

// createAdmin creates the administrator Admin with one generated password
// on every instance; an administrator left by an earlier run is kept.
func (n *Network) createAdmin(ctx context.Context) error {
	var b [15]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	password := base64.RawURLEncoding.EncodeToString(b[:])
	for _, in := range n.Instances {
		_, err := in.Server.Service.CreateAdmin(ctx, service.System("seed"), Admin, password)
		var ve *model.ValidationError
		switch {
		case err == nil:
			n.Password = password
		case errors.As(err, &ve) && ve.Fields["username"].Key != "":
			// taken: created by an earlier run on this data directory
		default:
			return fmt.Errorf("demo: %s: %w", in.Host, err)
		}
	}
	return nil
}

// followReq is one follow the demo sends.
type followReq struct {
	in     *Instance
	local  string // an organisation, or the instance actor
	target string // a handle, or a host for an instance actor
}

// followPlan is every follow of the network: each instance actor follows
// every other instance (which brings everything their organisations
// publish), and each organisation follows the organisations of the other
// instances that share one of its sectors.
func (n *Network) followPlan() (plan []followReq, instances int) {
	for _, a := range n.Instances {
		for _, b := range n.Instances {
			if a != b {
				plan = append(plan, followReq{a, model.InstanceName, b.Host})
			}
		}
	}
	instances = len(plan)
	for _, a := range n.Instances {
		for _, oa := range a.Orgs {
			for _, b := range n.Instances {
				if a == b {
					continue
				}
				for _, ob := range b.Orgs {
					if shareSector(oa.Profile.Sectors, ob.Profile.Sectors) {
						plan = append(plan, followReq{a, oa.Name, b.Handle(ob.Name)})
					}
				}
			}
		}
	}
	return plan, instances
}

func shareSector(a, b []string) bool {
	for _, s := range a {
		if slices.Contains(b, s) {
			return true
		}
	}
	return false
}

// follow sends every follow of the plan through the follower's service,
// which resolves the target over WebFinger or NodeInfo like any follow.
func (n *Network) follow(ctx context.Context) error {
	plan, instances := n.followPlan()
	for _, f := range plan {
		if _, err := f.in.Server.Service.Follow(ctx, service.System("seed"), f.local, f.target); err != nil {
			return fmt.Errorf("demo: %s: %s follows %s: %w", f.in.Host, f.local, f.target, err)
		}
	}
	fmt.Fprintf(n.out, "follows: %d instance to instance, %d organisation to organisation\n",
		instances, len(plan)-instances)
	return nil
}

// waitAccepted waits, for at most FormTimeout, until every follow sent is
// accepted; it only warns when some are still pending after that.
func (n *Network) waitAccepted(ctx context.Context) error {
	last := ""
	err := n.poll(ctx, func() bool {
		accepted, total := n.follows(ctx)
		if line := fmt.Sprintf("follows accepted %d/%d", accepted, total); line != last {
			fmt.Fprintln(n.out, line)
			last = line
		}
		return accepted == total
	})
	if errors.Is(err, errTimeout) {
		fmt.Fprintf(n.out, "warning: %s after %s; going on\n", last, n.opts.FormTimeout)
		return nil
	}
	return err
}

// publish publishes the seed projects and calls of the organisations in
// toPublish, through each instance's service: each Create goes to the
// organisation's followers and to the followers of its instance.
func (n *Network) publish(ctx context.Context) error {
	objects, calls, orgs := 0, 0, 0
	for _, in := range n.Instances {
		for _, so := range in.Orgs {
			if !in.toPublish[so.Name] {
				continue
			}
			orgs++
			for _, obj := range so.Objects {
				if _, err := in.Server.Service.Publish(ctx, service.System("seed"), so.Name, obj); err != nil {
					return fmt.Errorf("demo: %s: publish %q: %w", in.Host, obj.Title, err)
				}
				objects++
				if obj.Kind == model.KindCall {
					calls++
				}
			}
		}
	}
	if orgs == 0 {
		fmt.Fprintln(n.out, "organisations and content found from an earlier run: nothing to publish")
		return nil
	}
	fmt.Fprintf(n.out, "published %d projects and calls (%d calls for partnership) of %d organisations\n", objects, calls, orgs)
	return nil
}

// errTimeout is poll's answer when FormTimeout passed.
var errTimeout = errors.New("timed out")

// poll calls done every 100 ms until it returns true, ctx ends, or
// FormTimeout passes.
func (n *Network) poll(ctx context.Context, done func() bool) error {
	deadline := time.Now().Add(n.opts.FormTimeout)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for !done() {
		if time.Now().After(deadline) {
			return errTimeout
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
	}
	return nil
}
