package federation

import (
	"context"
	"time"
)

// NetworkOptions bound the reading of the NodeInfo of the servers the
// network page lists (service.SyncPeers); zero values take the defaults.
type NetworkOptions struct {
	// Refresh is how long a server's NodeInfo is kept before it is read
	// again: at most one read per server per Refresh, failed or not.
	Refresh time.Duration // default 6 hours
	// Check is how often the servers due are looked for.
	Check time.Duration // default 1 minute
	// Max is the number of servers kept; PerCheck the reads per check.
	Max, PerCheck int // defaults 500 and 20
}

func (o NetworkOptions) withDefaults() NetworkOptions {
	if o.Refresh <= 0 {
		o.Refresh = 6 * time.Hour
	}
	if o.Check <= 0 {
		o.Check = time.Minute
	}
	if o.Max <= 0 {
		o.Max = 500
	}
	if o.PerCheck <= 0 {
		o.PerCheck = 20
	}
	return o
}

// nodeInfoReadTime bounds one server's NodeInfo read (two GETs).
const nodeInfoReadTime = 15 * time.Second

// runPeers reads, every Check, the NodeInfo of the servers due, one at a
// time: a slow or hostile server delays the others by nodeInfoReadTime at
// most, and never a page, which reads only the store. A follow accepted
// either way (pokePeers) brings the next check forward, at most once every
// pokeSpacing, so a new peer is on the network page in seconds, not a
// minute later.
func (f *Federation) runPeers(ctx context.Context) {
	o := f.network
	t := time.NewTicker(o.Check)
	defer t.Stop()
	for {
		f.refreshPeers(ctx)
		last := time.Now()
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-f.peersPoke:
			select {
			case <-ctx.Done():
				return
			case <-time.After(pokeSpacing - time.Since(last)):
			}
		}
	}
}

// pokeSpacing is the shortest time between two checks brought forward.
const pokeSpacing = 5 * time.Second

// pokePeers asks runPeers for a check soon; it never blocks.
func (f *Federation) pokePeers() {
	select {
	case f.peersPoke <- struct{}{}:
	default:
	}
}

// refreshPeers reads the NodeInfo of the servers due now.
func (f *Federation) refreshPeers(ctx context.Context) {
	o := f.network
	due, err := f.svc.SyncPeers(ctx, o.Max, o.PerCheck, o.Refresh)
	if err != nil {
		f.log.Error("sync peers", "err", err)
		return
	}
	for _, p := range due {
		if ctx.Err() != nil {
			return
		}
		rctx, cancel := context.WithTimeout(ctx, nodeInfoReadTime)
		read := f.fetch.ReadNodeInfo(rctx, p.Origin)
		cancel()
		if ctx.Err() != nil {
			return
		}
		read.Host, read.Checked = p.Host, f.now()
		if read.Problem == "" {
			read.Read = read.Checked
		} else {
			f.log.Info("nodeinfo not read", "remote_host", p.Host, "problem", read.Problem)
		}
		if err := f.svc.SavePeer(ctx, read); err != nil {
			f.log.Error("save peer", "remote_host", p.Host, "err", err)
		}
	}
	// The maillage servers that relays made known are read once
	// (service/discover.go), by the backfill workers.
	started, err := f.svc.Discover(ctx)
	if err != nil {
		f.log.Error("discover servers", "err", err)
	}
	for _, actor := range started {
		f.queueBackfill(actor)
	}
}
