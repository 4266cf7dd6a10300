package federation

import (
	"context"
	"fmt"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// maxCachedActors recently fetched actor documents are kept in memory
// (each at most store.MaxActorSize once encoded, see ASToActor), so that
// the use case that follows a signature check does not fetch again.
const maxCachedActors = 256

// cachedActorTTL is how long a cached actor document is used: one stored
// later (a follow) should not carry a profile days old.
const cachedActorTTL = time.Hour

// cacheActor keeps a fetched actor in memory, evicting an arbitrary one
// when the cache is full.
func (c *Client) cacheActor(a model.Actor) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.actors[a.ID]; !ok && len(c.actors) >= maxCachedActors {
		evictOne(c.actors)
	}
	c.actors[a.ID] = a
}

// cachedActor returns a recently fetched actor.
func (c *Client) cachedActor(iri string) (model.Actor, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	a, ok := c.actors[iri]
	return a, ok && c.now().Sub(a.Fetched) < cachedActorTTL
}

// evictOne deletes one entry of a full cache. Go's map iteration order is
// unspecified, which makes this close enough to random eviction: a flood
// of new keys cannot flush the whole cache at once.
func evictOne[V any](m map[string]V) {
	for k := range m {
		delete(m, k)
		return
	}
}

// receiveReply applies a reply to one of our objects with its author's
// profile, which the service stores with the reply. The author is the
// activity's actor, whose key was just fetched (so it is cached) or is
// stored; a reply relayed by an instance actor may come from an author
// not fetched yet, and is kept without a profile if the fetch fails.
func (f *Federation) receiveReply(ctx context.Context, activityID, actor string, r model.Reply) error {
	author, err := f.actor(ctx, actor) // the sender: the service refuses a reply attributed to another
	if err != nil {
		f.log.Debug("reply author unavailable", "actor", actor, "err", err)
		author = model.Actor{}
	}
	return f.svc.ReceiveReply(ctx, activityID, actor, r, author)
}

// receiveObject applies a project, call or post, then stores its author's
// profile if the object was kept and the author is not stored yet: the
// directory and the pages show an object with its organisation. A
// failure to fetch the author does not undo the object.
func (f *Federation) receiveObject(ctx context.Context, typ, activityID, actor, via string, o model.Object) error {
	var needAuthor bool
	if typ == "Create" {
		var err error
		if needAuthor, err = f.svc.ReceiveCreate(ctx, activityID, actor, via, o); err != nil {
			return err
		}
	} else {
		if err := f.svc.ReceiveObject(ctx, activityID, actor, via, o); err != nil {
			return err
		}
		needAuthor = f.svc.NeedsAuthor(ctx, actor)
	}
	if needAuthor {
		author, err := f.actor(ctx, actor)
		if err == nil {
			err = f.svc.KeepAuthor(ctx, author)
		}
		if err != nil {
			f.log.Info("author of a kept object not stored", "actor", actor, "err", err)
		}
	}
	return nil
}

// Bounds on a remote actor's fields, in bytes. Mastodon cuts a remote
// account's name and username at 2048 characters and its note at 20 KB
// (app/models/account.rb, *_HARD_LIMIT, applied in
// app/services/activitypub/process_account_service.rb); an RSA public key
// of 16384 bits is under 3 KiB in PEM.
const (
	maxActorIRI     = 2048
	maxActorName    = 2048
	maxActorSummary = 20 << 10
	maxPublicKeyPEM = 8 << 10
)

// clipTo cuts s to at most n bytes, on a character boundary.
func clipTo(s string, n int) string {
	if len(s) > n {
		s = strings.ToValidUTF8(s[:n], "")
	}
	return s
}

// optionalIRI drops an optional IRI longer than maxActorIRI.
func optionalIRI(s string) string {
	if len(s) > maxActorIRI {
		return ""
	}
	return s
}

// fitActor makes sure a's record fits store.MaxActorSize: escaping in
// sanitised HTML and in JSON can still make the bounded fields too large
// together. It drops what only decorates (summary, then the organisation
// profile, then links), and refuses an actor that still does not fit.
func fitActor(a model.Actor) (model.Actor, error) {
	steps := []func(*model.Actor){
		func(a *model.Actor) { a.Summary = "" },
		func(a *model.Actor) { a.Profile = nil },
		func(a *model.Actor) { a.URL, a.IconURL, a.Name = "", "", "" },
	}
	for i := 0; ; i++ {
		if store.ActorSize(a) <= store.MaxActorSize {
			return a, nil
		}
		if i == len(steps) {
			return a, fmt.Errorf("%w: actor %s too large", ErrMalformed, a.ID)
		}
		steps[i](&a)
	}
}
