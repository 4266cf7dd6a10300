package federation

import (
	"context"
	"errors"
	"io"
	"mime"
	"net/http"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/store"
)

// Inbox handles POSTs to the shared inbox and to every actor's inbox: size
// limit, content type, HTTP signature (with the checks httpsig leaves to us),
// key owner = actor, then one handler per activity type. Processing is
// idempotent by activity id; the answer is 202, as Mastodon's.
func (f *Federation) Inbox(w http.ResponseWriter, r *http.Request) {
	select {
	case f.inboxSlots <- struct{}{}:
		defer func() { <-f.inboxSlots }()
	default:
		w.Header().Set("Retry-After", "30")
		http.Error(w, "busy, retry later", http.StatusServiceUnavailable)
		f.countInbox("", nil, InboxRefused)
		return
	}
	ctx := r.Context()
	log := f.log.With("remote_host", r.RemoteAddr)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxInboxBody))
	if err != nil {
		f.countInbox("", nil, InboxRefused)
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, "body too large", http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil ||
		(mt != ContentTypeAS && mt != "application/ld+json") {
		http.Error(w, "content type must be application/activity+json", http.StatusUnsupportedMediaType)
		f.countInbox("", nil, InboxRefused)
		return
	}
	if f.refuseBlockedKey(w, r) { // before verifying: no key is fetched from a blocked server
		f.countInbox("", nil, InboxRefused)
		return
	}
	v, err := httpsign.Verify(ctx, r, body, f.now(), f.PublicKey)
	if err != nil {
		if errors.Is(err, httpsign.ErrKeyUnavailable) && f.isSelfDeleteOfUnknown(ctx, body) {
			w.WriteHeader(http.StatusAccepted) // Mastodon's rule: a gone actor's Delete needs no check
			f.countInbox("Delete", nil, InboxIgnored)
			return
		}
		log.Warn("inbox signature rejected", "err", err, "key_id", httpsign.KeyIDFromRequest(r))
		http.Error(w, "signature rejected", http.StatusUnauthorized)
		f.countInbox("", body, InboxRejectedSignature)
		return
	}
	in, err := decodeActivity(ctx, body)
	switch {
	case errors.Is(err, ErrUnknownType):
		log.Debug("inbox activity ignored", "err", err)
		w.WriteHeader(http.StatusAccepted)
		f.countInbox("", body, InboxIgnored)
		return
	case err != nil:
		log.Warn("inbox activity malformed", "err", err)
		http.Error(w, "malformed activity", http.StatusBadRequest)
		f.countInbox("", body, InboxRefused)
		return
	}
	if !sameOrigin(in.ID, in.Actor) {
		// An id on another server would let one server mark another's
		// activity as already seen.
		log.Warn("inbox activity id not on its actor's server", "activity_id", in.ID, "actor", in.Actor)
		http.Error(w, "activity id must be on the actor's server", http.StatusBadRequest)
		f.countInbox(in.Type, nil, InboxRefused)
		return
	}
	if in.Actor != v.Owner {
		log.Warn("inbox key owner is not the actor", "actor", in.Actor, "key_id", v.KeyID)
		http.Error(w, "signature key does not belong to the activity's actor", http.StatusUnauthorized)
		f.countInbox(in.Type, nil, InboxRejectedSignature)
		return
	}
	if err := f.dispatch(ctx, in, ""); err != nil {
		status := inboxStatus(err)
		if status >= 500 {
			log.Error("inbox processing failed", "err", err, "activity_id", in.ID)
		} else {
			log.Warn("inbox activity refused", "err", err, "activity_id", in.ID)
		}
		http.Error(w, http.StatusText(status), status)
		f.countInbox(in.Type, nil, InboxRefused)
		return
	}
	log.Debug("inbox activity accepted", "type", in.Type, "activity_id", in.ID, "actor", in.Actor)
	w.WriteHeader(http.StatusAccepted)
	f.countInbox(in.Type, nil, InboxAccepted)
}

func inboxStatus(err error) int {
	var ve *model.ValidationError
	switch {
	case errors.Is(err, service.ErrForbidden):
		return http.StatusForbidden
	case errors.Is(err, ErrMalformed), errors.As(err, &ve):
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError
}

// isSelfDeleteOfUnknown reports whether body is an actor deleting itself
// that we do not know, which is answered 202 without a usable key.
func (f *Federation) isSelfDeleteOfUnknown(ctx context.Context, body []byte) bool {
	in, err := decodeActivity(ctx, body)
	if err != nil || in.Type != "Delete" || in.Object != in.Actor {
		return false
	}
	return f.store.View(func(tx *store.Tx) error { _, err := tx.Actor(in.Actor); return err }) != nil
}

// dispatch applies a verified activity. via is set when the activity came
// wrapped in an Announce by that (instance) actor.
func (f *Federation) dispatch(ctx context.Context, in *incoming, via string) error {
	if f.uris.IsLocal(in.Actor) && in.Type != "Follow" && in.Type != "Accept" && in.Type != "Reject" && in.Type != "Undo" {
		return nil // our own content, already here
	}
	if err := f.checkBlocked(ctx, in); err != nil {
		return err
	}
	switch in.Type {
	case "Follow":
		return f.onFollow(ctx, in)
	case "Flag":
		return f.onFlag(ctx, in)
	case "Undo":
		return f.onUndo(ctx, in)
	case "Accept", "Reject":
		return f.onFollowAnswer(ctx, in)
	case "Create", "Update":
		return f.onCreateOrUpdate(ctx, in, via)
	case "Delete":
		if in.Object == in.Actor {
			f.forgetKeys(in.Actor)
			return f.svc.ReceiveActorDelete(ctx, in.ID, in.Actor)
		}
		return f.svc.ReceiveDelete(ctx, in.ID, in.Actor, in.Object)
	case "Announce":
		return f.onAnnounce(ctx, in)
	case "Like":
		if f.uris.IsLocal(in.Object) {
			return f.svc.ReceiveReaction(ctx, in.ID, model.ReactionLike, in.ID, in.Actor, in.Object, false)
		}
	}
	f.log.Debug("inbox activity type not handled", "type", in.Type, "activity_id", in.ID)
	return nil
}

func (f *Federation) onFollow(ctx context.Context, in *incoming) error {
	local, ok := f.uris.LocalActorName(in.Object)
	if !ok {
		return nil // not one of our actors: nothing to do
	}
	follower, err := f.actor(ctx, in.Actor)
	if err != nil {
		return err
	}
	err = f.svc.ReceiveFollow(ctx, in.ID, local, follower)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	return err
}

// actor returns a known actor: local, stored, recently fetched, or
// fetched now.
func (f *Federation) actor(ctx context.Context, iri string) (model.Actor, error) {
	if a, ok := f.localActor(iri); ok {
		return a, nil
	}
	var a model.Actor
	err := f.store.View(func(tx *store.Tx) error {
		var err error
		a, err = tx.Actor(iri)
		return err
	})
	if err == nil {
		return a, nil
	}
	if a, ok := f.cachedActor(iri); ok {
		return a, nil
	}
	return f.FetchActor(ctx, iri)
}

func (f *Federation) onUndo(ctx context.Context, in *incoming) error {
	if in.Embed == nil {
		return f.svc.ReceiveUndo(ctx, in.ID, in.Actor, in.Object)
	}
	if iri(in.Embed["actor"]) != in.Actor {
		return service.ErrForbidden // only the author of an activity may undo it
	}
	target := iri(in.Embed["object"])
	switch str(in.Embed, "type") {
	case "Follow":
		local, ok := f.uris.LocalActorName(target)
		if !ok {
			return nil
		}
		return f.svc.ReceiveUndoFollow(ctx, in.ID, local, in.Actor, in.Object)
	case "Like":
		return f.svc.ReceiveReaction(ctx, in.ID, model.ReactionLike, in.Object, in.Actor, target, true)
	case "Announce":
		return f.svc.ReceiveReaction(ctx, in.ID, model.ReactionAnnounce, in.Object, in.Actor, target, true)
	}
	return nil
}

// onFollowAnswer handles Accept or Reject of a Follow we sent. The Follow
// may be embedded (Mastodon, GoToSocial) or named by its IRI.
func (f *Federation) onFollowAnswer(ctx context.Context, in *incoming) error {
	var localIRI, target string
	if in.Embed != nil {
		if str(in.Embed, "type") != "Follow" {
			return nil
		}
		localIRI, target = iri(in.Embed["actor"]), iri(in.Embed["object"])
	} else {
		name, t, err := f.svc.FollowFromActivity(ctx, in.Object)
		if err != nil {
			return nil // not a follow of ours
		}
		localIRI, target = f.uris.Actor(name), t
	}
	local, ok := f.uris.LocalActorName(localIRI)
	if !ok || target != in.Actor {
		return nil // only the followed actor answers a follow
	}
	if err := f.svc.ReceiveFollowAnswer(ctx, in.ID, local, in.Actor, in.Object, in.Type == "Accept"); err != nil {
		return err
	}
	if in.Type == "Accept" {
		f.queueBackfill(in.Actor)
	}
	return nil
}

func (f *Federation) onCreateOrUpdate(ctx context.Context, in *incoming, via string) error {
	if in.Embed == nil {
		return nil // an object by reference only: not fetched (yet)
	}
	typ := str(in.Embed, "type")
	if in.Type == "Update" && actorTypes[typ] {
		if str(in.Embed, "id") != in.Actor {
			return service.ErrForbidden
		}
		a, err := ASToActor(in.Embed, f.san, f.now())
		if err != nil {
			return err
		}
		f.forgetKeys(a.ID) // a rotated key stops verifying at once
		return f.svc.ReceiveActorUpdate(ctx, in.ID, a)
	}
	switch typ {
	case "Note", "Article", "Page", "Question", "Event":
	default:
		return nil
	}
	if inReplyTo := iri(in.Embed["inReplyTo"]); inReplyTo != "" {
		if !f.uris.IsLocal(inReplyTo) {
			return nil // a conversation elsewhere
		}
		if !isPublic(in.Embed) {
			return nil // a direct or followers-only answer is not published in the thread
		}
		reply, err := ASToReply(in.Embed, f.san)
		if err != nil {
			return err
		}
		if reply.Actor != in.Actor {
			return service.ErrForbidden
		}
		return f.receiveReply(ctx, in.ID, reply)
	}
	o, err := ASToObject(in.Embed, f.san)
	if err != nil {
		return err
	}
	err = f.receiveObject(ctx, in.ID, in.Actor, via, o)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		f.log.Info("remote object dropped", "activity_id", in.ID, "err", err)
		return nil // invalid structured fields from a remote are dropped, not stored
	}
	return err
}

// onAnnounce counts boosts of our objects, and unwraps activities that a
// followed instance actor relays for the organisations of its server.
func (f *Federation) onAnnounce(ctx context.Context, in *incoming) error {
	if f.uris.IsLocal(in.Object) {
		return f.svc.ReceiveReaction(ctx, in.ID, model.ReactionAnnounce, in.ID, in.Actor, in.Object, false)
	}
	if in.Embed == nil || str(in.Embed, "actor") == "" {
		return nil
	}
	inner, err := decodeMap(ctx, in.Embed)
	if err != nil {
		return nil
	}
	switch inner.Type {
	case "Create", "Update", "Delete":
	default:
		return nil
	}
	// Origin rule: an instance actor speaks only for actors of its own
	// server, and only one we follow is trusted to relay at all. The inner
	// activity carries no signature of its own, so it may only bring
	// objects: never an actor's profile, key or deletion.
	if !service.SameOrigin(inner.Actor, in.Actor) || !service.SameOrigin(inner.ID, in.Actor) {
		return service.ErrForbidden
	}
	if !f.isFollowedApplication(in.Actor) {
		return nil
	}
	if inner.Object == inner.Actor || (inner.Embed != nil && actorTypes[str(inner.Embed, "type")]) {
		return service.ErrForbidden
	}
	return f.dispatch(ctx, inner, in.Actor)
}

// isFollowedApplication reports whether actor is an instance actor
// (Application) that a local actor follows.
func (f *Federation) isFollowedApplication(actor string) bool {
	ok := false
	_ = f.store.View(func(tx *store.Tx) error {
		a, err := tx.Actor(actor)
		if err != nil || a.Type != "Application" {
			return nil
		}
		ok, err = tx.IsFollowedLocally(actor)
		return err
	})
	return ok
}

// isPublic reports whether an object is addressed to the public collection
// (public or unlisted, in Mastodon's terms: status_parser.rb#visibility).
func isPublic(m map[string]any) bool {
	for _, k := range []string{"to", "cc"} {
		for _, a := range strs(m[k]) {
			if a == publicIRI || a == "as:Public" || a == "Public" {
				return true
			}
		}
	}
	return false
}
