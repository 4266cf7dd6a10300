package federation

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
)

// What a relay sends is never stored as sent (issue #11). A relay actor is
// one whose Accept answered our relay Follow (service/relays.go). It sends:
//
//   - an Announce of an object's id, signed by itself (LitePub relays:
//     Pleroma's lib/pleroma/web/activity_pub/relay.ex publish/1; aode-relay
//     and yukimochi/Activity-Relay's CreateAsAnnounce mode);
//   - the Create, Update or Delete its subscriber sent it, forwarded as is
//     but signed with the relay's key (Mastodon's relay protocol; yukimochi
//     Activity-Relay api/handle.go, enqueueRelayActivity). Mastodon accepts
//     such a body only with a Linked Data signature of its author
//     (app/services/activitypub/process_collection_service.rb,
//     verify_account!); maillage checks none, and believes none of it.
//
// Either way only the object's id is taken. The object is fetched from its
// origin with a signed GET (FetchAS: its id must be the URL asked for,
// served from that origin), its attributedTo must be on the same origin and
// its author is fetched from there too, and it must be addressed to the
// Public collection. Only maillage projects, calls and organisations are
// kept; other posts are counted and dropped. Blocks apply to the relay, the
// object and its author, and the blocked origin is not fetched. Each relay
// has a switch, a rate and a total, and one origin takes at most a share
// of each (service/relay_receive.go). The fetching
// runs on a small bounded queue, never in the inbox request.
const (
	relayQueueLen  = 256
	relayWorkers   = 2
	relayFetchTime = 30 * time.Second
	// relayCountEvery is how often the counts of what relays sent and
	// was not stored are written (service.FlushRelayCounts).
	relayCountEvery = time.Minute
	maxRelayedIDLen = maxActorIRI
)

// relayJob is one object id a relay sent.
type relayJob struct {
	relay string // the relay actor
	id    string // the object (or organisation) to fetch from its origin
	gone  bool   // a forwarded Delete: removed only if its origin says it is gone
}

// isRelayForward reports whether an activity signed by owner, another
// actor than its own, is a relay forwarding a subscriber's activity; it
// then queues what it names and the inbox answers 202.
func (f *Federation) isRelayForward(ctx context.Context, in *incoming, owner string) bool {
	r, ok := f.svc.RelayOf(ctx, owner)
	if !ok {
		return false
	}
	switch in.Type {
	case "Create", "Update":
		if in.Embed != nil && !relayKeeps(in.Embed) {
			// A plain post, by what the untrusted body says: that is
			// only believed to drop it, never to keep it.
			f.countRelayed(ctx, r.URL, service.RelayDropped)
			return true
		}
		f.queueRelayed(ctx, r, relayJob{relay: owner, id: in.Object})
	case "Delete":
		f.queueRelayed(ctx, r, relayJob{relay: owner, id: in.Object, gone: true})
	}
	return true // anything else a relay forwards is ignored
}

// relayKeeps reports whether an embedded object may be a project, a call
// or an organisation.
func relayKeeps(m map[string]any) bool {
	switch k := model.Kind(str(m, "kind")); {
	case k.Valid():
		return true
	case str(m, "type") == "Organization":
		return true
	}
	return false
}

// onRelayAnnounce queues the object a relay actor announced: an id, or
// the object of an embedded activity (an Announce{Create}).
func (f *Federation) onRelayAnnounce(ctx context.Context, r model.Relay, in *incoming) {
	id := in.Object
	if in.Embed != nil {
		switch str(in.Embed, "type") {
		case "Create", "Update":
			id = iri(in.Embed["object"])
		case "Delete":
			f.queueRelayed(ctx, r, relayJob{relay: in.Actor, id: iri(in.Embed["object"]), gone: true})
			return
		}
	}
	f.queueRelayed(ctx, r, relayJob{relay: in.Actor, id: id})
}

func (f *Federation) queueRelayed(ctx context.Context, r model.Relay, j relayJob) {
	if !isHTTPIRI(j.id) || len(j.id) > maxRelayedIDLen {
		f.countRelayed(ctx, r.URL, service.RelayRefused)
		return
	}
	select {
	case f.relayQueue <- j:
	default:
		f.countRelayed(ctx, r.URL, service.RelayLimited)
		f.logBounded(&f.refusalLog, slog.LevelWarn, "relay queue full", "relay", r.URL)
	}
}

func (f *Federation) countRelayed(ctx context.Context, url string, out service.RelayOutcome) {
	if err := f.svc.CountRelayed(ctx, url, out); err != nil {
		f.log.Error("count relayed object", "relay", url, "err", err)
	}
}

// runRelayed works the relay queue until ctx ends.
func (f *Federation) runRelayed(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case j := <-f.relayQueue:
			out := f.relayed(ctx, j)
			f.log.Debug("relayed object", "relay", j.relay, "object", j.id, "outcome", out)
		}
	}
}

// runRelayCounts writes the relays' counts kept in memory every
// relayCountEvery, and once more when ctx ends.
func (f *Federation) runRelayCounts(ctx context.Context) {
	t := time.NewTicker(relayCountEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := f.svc.FlushRelayCounts(context.WithoutCancel(ctx)); err != nil {
				f.log.Error("relay counts", "err", err)
			}
			return
		case <-t.C:
			if err := f.svc.FlushRelayCounts(ctx); err != nil {
				f.log.Error("relay counts", "err", err)
			}
		}
	}
}

// relayed fetches and checks one object a relay sent, and hands it to the
// service; it returns what became of it.
func (f *Federation) relayed(ctx context.Context, j relayJob) service.RelayOutcome {
	r, out, err := f.svc.AdmitRelayed(ctx, j.relay, j.id)
	if err != nil || out != service.RelayStored {
		return out // not a relay any more, paused, over its rate, or blocked
	}
	count := func(out service.RelayOutcome) service.RelayOutcome {
		f.countRelayed(ctx, r.URL, out)
		return out
	}
	if f.uris.IsLocal(j.id) {
		return count(service.RelayUnchanged) // ours, relayed back
	}
	if f.svc.IsBlocked(ctx, j.id) {
		return count(service.RelayRefused) // a blocked server is not fetched
	}
	fctx, cancel := context.WithTimeout(ctx, relayFetchTime)
	defer cancel()
	doc, err := f.fetch.FetchAS(fctx, j.id)
	if j.gone {
		out := service.RelayUnchanged // still there: the relay's Delete is not believed
		// 410 only: the Delete is anyone's word, and a 404 of a moment
		// would remove an object for good.
		if errors.Is(err, ErrDeleted) {
			if err := f.svc.ReceiveRelayedGone(ctx, r.URL, j.id); err != nil {
				f.log.Error("relayed delete", "object", j.id, "err", err)
			}
			out = service.RelayStored
		}
		return count(out) // received: the removal, if any, is not a new object stored
	}
	if err != nil {
		f.log.Info("relayed object not fetched", "relay", r.URL, "object", j.id, "err", err)
		return count(service.RelayRefused)
	}
	typ := str(doc, "type")
	if actorTypes[typ] {
		a, err := ASToActor(doc, f.san, f.now())
		switch {
		case err != nil:
			return count(service.RelayRefused)
		case a.Type != "Organization" || a.Profile == nil:
			return count(service.RelayDropped) // not a maillage organisation
		}
		return f.relayOutcome(f.svc.ReceiveRelayedOrg(ctx, r.URL, a))
	}
	if !relayKeeps(doc) {
		return count(service.RelayDropped)
	}
	o, err := ASToObject(doc, f.san)
	if err != nil || !uris.SameOrigin(o.AttributedTo, o.ID) {
		return count(service.RelayRefused)
	}
	o.Audience, o.Addressed = audience(nil, nil, doc, "", f.uris.IsLocal)
	author, err := f.actor(fctx, o.AttributedTo)
	if err != nil {
		return count(service.RelayRefused)
	}
	return f.relayOutcome(f.svc.ReceiveRelayedObject(ctx, r.URL, author, o))
}

func (f *Federation) relayOutcome(out service.RelayOutcome, err error) service.RelayOutcome {
	if err != nil {
		f.log.Error("store relayed object", "err", err)
		return service.RelayRefused
	}
	return out
}
