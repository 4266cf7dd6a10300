package federation

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Backfill: when a follow is accepted, what the followed actor already
// holds is read, so that a new follower's directory does not start empty.
// For an instance actor, that is the organisations it lists in its
// organisations collection (instance_orgs.go) and each one's outbox; for
// any other actor, its own outbox. Every page is fetched signed, from the
// followed server's origin only, and its activities are applied as if they
// had been delivered (dispatch: blocks, audience, idempotence by id). The
// progress is kept by the service (model.Backfill) after every page, so a
// restart resumes at the page being read. It runs on a small bounded
// queue, never in the inbox request.
const (
	backfillQueue   = 64
	backfillWorkers = 2

	// Limits of one backfill (FEDERATION.md); those that grow with the
	// organisations read are in backfillLimits.
	backfillOutboxPages = 20   // documents of one outbox (the collection and its pages)
	backfillOutboxItems = 1000 // activities read from one outbox
	backfillErrors      = 20   // failed fetches before giving up
	backfillFetchTime   = 30 * time.Second
)

// backfillLimits are the limits of one backfill that grow with the number
// of organisations it may read from an instance: up to
// service.BackfillMaxOrgs, so that a regional map's instance (Transiscope
// lists 15,000 entries) is followed whole. Memory stays bounded whatever
// the number: the organisations found are kept in the store, one page of
// the collection at a time; time is bounded by the backfill's budget per
// run, and the progress is resumed after it (runBackfill).
type backfillLimits struct {
	orgs     int   // organisations read from an instance's collection
	orgPages int   // documents of that collection
	pages    int   // documents fetched in all
	bytes    int64 // bytes of the documents fetched in all
}

// newBackfillLimits returns the limits for at most maxOrgs organisations
// (0: service.BackfillMaxOrgs): the collection's pages at 50 items each
// and 40 more, and, for each organisation, three documents (its actor,
// its outbox and a page) and 16 KB, above what any backfill may fetch
// without organisations (10,000 documents, 64 MB).
func newBackfillLimits(maxOrgs int) backfillLimits {
	if maxOrgs <= 0 || maxOrgs > service.BackfillMaxOrgs {
		maxOrgs = service.BackfillMaxOrgs
	}
	return backfillLimits{orgs: maxOrgs, orgPages: maxOrgs/collectionPage + 40,
		pages: 10000 + 3*maxOrgs, bytes: 64<<20 + int64(maxOrgs)*16<<10}
}

// backfiller is the queue of backfills and the set of those running.
type backfiller struct {
	queue chan string
	// beforePage, if set, is called before each document is fetched
	// (tests hold a backfill there to restart the instance).
	beforePage func(ctx context.Context, url string)

	mu sync.Mutex
	// running holds the actors whose backfill a worker runs (guarded by mu).
	running map[string]bool
}

func newBackfiller(beforePage func(context.Context, string)) *backfiller {
	return &backfiller{queue: make(chan string, backfillQueue), beforePage: beforePage, running: map[string]bool{}}
}

// claim marks actor's backfill as running; false if it already is.
func (b *backfiller) claim(actor string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.running[actor] {
		return false
	}
	b.running[actor] = true
	return true
}

func (b *backfiller) isRunning(actor string) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.running[actor]
}

func (b *backfiller) release(actor string) {
	b.mu.Lock()
	defer b.mu.Unlock()
	delete(b.running, actor)
}

// queueBackfill asks for actor's backfill, stored by the service with the
// accepted follow, to run; when the queue is full it stays in the store
// and runs at the next start.
func (f *Federation) queueBackfill(actor string) {
	select {
	case f.backfill.queue <- actor:
	default:
		f.log.Warn("backfill queue full", "actor", actor)
	}
}

// Run works the backfill queue until ctx ends, starting with the
// backfills left in progress by the last run, and queueing the paused
// ones again every retry interval; it also works the queue of objects
// relays sent (relay.go) and reads the NodeInfo of the network page's
// servers (peers.go).
func (f *Federation) Run(ctx context.Context) {
	var wg sync.WaitGroup
	for range backfillWorkers {
		wg.Go(func() {
			for {
				select {
				case <-ctx.Done():
					return
				case actor := <-f.backfill.queue:
					if f.backfill.claim(actor) {
						f.runBackfill(ctx, actor)
						f.backfill.release(actor)
					}
				}
			}
		})
	}
	for range relayWorkers {
		wg.Go(func() { f.runRelayed(ctx) })
	}
	wg.Go(func() { f.runRelayCounts(ctx) })
	wg.Go(func() { f.runPeers(ctx) })
	wg.Go(func() {
		t := time.NewTicker(f.backfillTimes.retry)
		defer t.Stop()
		for {
			f.resumeBackfills(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	})
	wg.Wait()
}

// resumeBackfills queues the backfills in progress that no worker runs:
// those left by the last run of the instance, paused after their time
// budget, or after a failure to read the followed actor.
func (f *Federation) resumeBackfills(ctx context.Context) {
	left, err := f.svc.Backfills(ctx)
	if err != nil {
		f.log.Error("list backfills", "err", err)
	}
	for _, b := range left {
		if f.backfill.isRunning(b.Actor) {
			continue
		}
		select {
		case f.backfill.queue <- b.Actor:
		case <-ctx.Done():
			return
		}
	}
}

// runBackfill reads, one document at a time, what the backfill of actor
// has left to read, saving its progress after each. After its time
// budget it pauses, so that a large or slow server does not hold a worker
// while others wait: the retry timer (Run) resumes it.
func (f *Federation) runBackfill(ctx context.Context, actor string) {
	b, err := f.svc.Backfill(ctx, actor)
	if err != nil {
		return // ended meanwhile
	}
	start := time.Now()
	b.Runs++
	for ctx.Err() == nil {
		next, st := f.backfillStep(ctx, b)
		if ctx.Err() != nil {
			return // interrupted: the saved progress is resumed at the next start
		}
		if st == stepDone {
			if err := f.svc.EndBackfill(ctx, actor); err != nil {
				f.log.Error("end backfill", "actor", actor, "err", err)
			}
			f.log.Info("backfill done", "actor", actor, "pages", next.Pages, "bytes", next.Bytes, "errors", next.Errors)
			return
		}
		next, keep, err := f.svc.SaveBackfill(ctx, next)
		if err != nil {
			f.log.Error("save backfill", "actor", actor, "err", err)
			return
		}
		if !keep || st == stepPause {
			return // unfollowed or blocked meanwhile, or paused until the next retry
		}
		if time.Since(start) >= f.backfillTimes.budget {
			f.log.Info("backfill paused", "actor", actor, "pages", next.Pages, "runs", next.Runs)
			return
		}
		b = next
	}
}

// step says what follows a backfill step.
type step int

const (
	stepMore step = iota // go on
	stepDone             // the backfill is over
	// stepPause keeps the backfill for the next retry: the followed
	// actor's document or its organisations collection could not be read,
	// and without them nothing else can be (counted in Errors).
	stepPause
)

// backfillStep does one step of b: it fetches at most one document and
// returns the progress after it, and what follows.
func (f *Federation) backfillStep(ctx context.Context, b model.Backfill) (model.Backfill, step) {
	if b.Pages >= f.backfillLimits.pages || b.Bytes >= f.backfillLimits.bytes || b.Errors >= backfillErrors {
		f.log.Warn("backfill stopped at its limits", "actor", b.Actor, "pages", b.Pages, "bytes", b.Bytes, "errors", b.Errors)
		return b, stepDone
	}
	switch {
	case !b.OrgsDone && b.Page == "": // start: an instance lists its organisations
		doc, err := f.fetchBackfill(ctx, &b, b.Actor)
		if err != nil {
			return b, stepPause
		}
		b.OrgsDone = true
		if orgs := iri(doc["organisations"]); str(doc, "type") == "Application" && onServer(orgs, b.Actor) {
			b.OrgsDone, b.Page = false, orgs
		} else {
			b.Current = b.Actor // any other actor: its own outbox
		}
	case !b.OrgsDone:
		doc, err := f.fetchBackfill(ctx, &b, b.Page)
		if err != nil && b.OutboxPages == 0 {
			return b, stepPause
		} else if err != nil { // a later page: go on with the organisations found
			b.OrgsDone, b.Page, b.OutboxPages = true, "", 0
			return b, stepMore
		}
		items, next := collectionItems(doc)
		for _, it := range items {
			id := iri(it)
			if b.OrgsFound+len(b.Found) < f.backfillLimits.orgs && onServer(id, b.Actor) && id != b.Actor && !f.uris.IsLocal(id) && !slices.Contains(b.Found, id) {
				b.Found = append(b.Found, id) // saving the progress lists them (service.SaveBackfill)
			}
		}
		b.OutboxPages++
		// A page that lists no organisation ends the collection (the first
		// document may be the collection, pointing to its first page): an
		// endless one is not read up to its limit of pages, which is large
		// enough for the most organisations.
		if (len(b.Found) > 0 || b.OutboxPages == 1) && next != b.Page && onServer(next, b.Actor) && b.OutboxPages < f.backfillLimits.orgPages && b.OrgsFound+len(b.Found) < f.backfillLimits.orgs {
			b.Page = next
		} else {
			b.OrgsDone, b.Page, b.OutboxPages = true, "", 0
		}
	case b.Current == "":
		if b.NextOrg >= b.OrgsFound {
			return b, stepDone
		}
		org, err := f.svc.BackfillOrg(ctx, b.Actor, b.NextOrg)
		if err != nil {
			f.log.Error("backfill: organisation not listed", "actor", b.Actor, "index", b.NextOrg, "err", err)
		}
		b.Current, b.NextOrg = org, b.NextOrg+1
		b.Page, b.OutboxPages, b.OutboxItems = "", 0, 0
	case b.Page == "": // start Current: its document gives its outbox
		b.Page = f.startOutbox(ctx, &b)
		if b.Page == "" {
			b.Current = ""
		}
	default:
		f.backfillOutboxPage(ctx, &b)
	}
	return b, stepMore
}

// startOutbox returns the outbox of b.Current, after storing it when it
// is an organisation listed by the followed instance; "" to skip it.
func (f *Federation) startOutbox(ctx context.Context, b *model.Backfill) string {
	if f.backfill.beforePage != nil {
		f.backfill.beforePage(ctx, b.Current)
	}
	b.Pages++
	fctx, cancel := context.WithTimeout(ctx, backfillFetchTime)
	a, err := f.actor(fctx, b.Current)
	cancel()
	if err != nil {
		b.Errors++
		f.log.Info("backfill: actor not read", "actor", b.Current, "err", err)
		return ""
	}
	if b.Current != b.Actor && b.Relay != "" {
		// A server discovered through a relay (service/discover.go):
		// its organisations are kept as the relay's would be.
		if a.Type != "Organization" || a.Profile == nil || !uris.SameOrigin(a.ID, b.Actor) {
			return ""
		}
		if out, err := f.svc.ReceiveRelayedOrg(ctx, b.Relay, a); err != nil || out == service.RelayRefused {
			f.log.Info("backfill: discovered organisation refused", "actor", a.ID, "outcome", out, "err", err)
			return ""
		}
	} else if b.Current != b.Actor {
		if err := f.svc.ReceiveHostedOrg(ctx, b.Actor, a); err != nil {
			f.log.Info("backfill: organisation refused", "actor", a.ID, "err", err)
			return ""
		}
	}
	if f.uris.IsLocal(a.Outbox) || !onServer(a.Outbox, b.Actor) {
		return ""
	}
	return a.Outbox
}

// backfillOutboxPage reads the outbox document b.Page and applies its
// Creates, Updates and Deletes, oldest first.
func (f *Federation) backfillOutboxPage(ctx context.Context, b *model.Backfill) {
	doc, err := f.fetchBackfill(ctx, b, b.Page)
	if err != nil {
		b.Current = ""
		return
	}
	items, next := collectionItems(doc)
	items = items[:min(len(items), backfillOutboxItems-b.OutboxItems)]
	b.OutboxItems += len(items)
	b.OutboxPages++
	for i := len(items) - 1; i >= 0; i-- { // outboxes list newest first
		if m, ok := items[i].(map[string]any); ok {
			f.backfillItem(ctx, b, m)
		}
	}
	if next != b.Page && onServer(next, b.Actor) &&
		b.OutboxPages < backfillOutboxPages && b.OutboxItems < backfillOutboxItems {
		b.Page = next
	} else {
		b.Current, b.Page = "", ""
	}
}

// backfillItem applies one activity of actor's outbox as a delivery.
// Pages are read newest first, so a Create is skipped once its object is
// held: what is held came from the same Create or a later Update.
func (f *Federation) backfillItem(ctx context.Context, b *model.Backfill, m map[string]any) {
	actor := b.Current
	switch str(m, "type") {
	case "Create", "Update", "Delete":
	default:
		return
	}
	in, err := decodeMap(m)
	if err != nil || in.Actor != actor || !uris.SameOrigin(in.ID, actor) {
		return
	}
	if in.Type == "Create" {
		if _, err := f.svc.Object(ctx, in.Object); err == nil {
			return
		}
	}
	if b.Relay != "" && in.Type != "Delete" {
		f.discoveredItem(ctx, b.Relay, actor, m)
		return
	}
	err = f.dispatch(ctx, in, "")
	var ve *model.ValidationError
	if err != nil && !errors.As(err, &ve) {
		f.log.Info("backfill item refused", "activity_id", in.ID, "err", err)
	}
}

// fetchBackfill fetches a document of b's followed server, counting it in
// b's limits. Only ids on that server's origin are fetched: FetchAS then
// checks that the document's id is the one asked for, served from there.
func (f *Federation) fetchBackfill(ctx context.Context, b *model.Backfill, url string) (map[string]any, error) {
	if !onServer(url, b.Actor) || f.uris.IsLocal(url) {
		b.Errors++
		return nil, errNotSameOrigin
	}
	if f.backfill.beforePage != nil {
		f.backfill.beforePage(ctx, url)
	}
	b.Pages++
	fctx, cancel := context.WithTimeout(ctx, backfillFetchTime)
	defer cancel()
	doc, err := f.fetch.FetchAS(fctx, url)
	if err != nil {
		if ctx.Err() == nil {
			b.Errors++
			f.log.Info("backfill: fetch failed", "actor", b.Actor, "url", url, "err", err)
		}
		return nil, err
	}
	if data, err := json.Marshal(doc); err == nil { // its size, at most maxFetchBody
		b.Bytes += int64(len(data))
	}
	return doc, nil
}

// onServer reports whether iri is on the origin of the followed actor, and
// short enough to be kept in the stored progress (2 KiB each keeps it under
// 2 MiB).
func onServer(iri, actor string) bool {
	return iri != "" && len(iri) <= maxActorIRI && uris.SameOrigin(iri, actor)
}

var errNotSameOrigin = errors.New("federation: backfill: document on another origin")

// collectionItems returns the items of a collection or collection page,
// and the next document to read: its first page (an IRI) or next page.
func collectionItems(doc map[string]any) (items []any, next string) {
	if first, ok := doc["first"].(map[string]any); ok {
		doc = first // embedded first page, as Mastodon serves its outbox
	} else if first := iri(doc["first"]); first != "" {
		return nil, first
	}
	items, _ = doc["orderedItems"].([]any)
	if items == nil {
		items, _ = doc["items"].([]any)
	}
	return items, iri(doc["next"])
}

// discoveredItem stores the project or call that a Create or Update of
// actor's outbox carries, read from a server discovered through the relay
// at relayURL, which nothing here follows: as if the relay had sent it
// (public, on its author's origin, counted towards the relay's total).
// Deletes go through dispatch, which removes only what the actor owns.
func (f *Federation) discoveredItem(ctx context.Context, relayURL, actor string, m map[string]any) {
	obj, ok := m["object"].(map[string]any)
	if !ok || !relayKeeps(obj) {
		return // an id only, or not a project or call
	}
	o, err := ASToObject(obj, f.san)
	if err != nil || o.AttributedTo != actor || !uris.SameOrigin(o.ID, actor) {
		return
	}
	o.Audience, o.Addressed = audience(m["to"], m["cc"], obj, "", f.uris.IsLocal)
	fctx, cancel := context.WithTimeout(ctx, backfillFetchTime)
	author, err := f.actor(fctx, actor) // just read by startOutbox: held
	cancel()
	if err != nil {
		return
	}
	if out, err := f.svc.ReceiveRelayedObject(ctx, relayURL, author, o); err != nil {
		f.log.Error("backfill: store discovered object", "object", o.ID, "err", err)
	} else if out != service.RelayStored && out != service.RelayUnchanged {
		f.log.Info("backfill: discovered object not stored", "object", o.ID, "outcome", out)
	}
}
