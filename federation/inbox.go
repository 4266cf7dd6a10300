package federation

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"mime"
	"net/http"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/httperr"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Inbox handles POSTs to the shared inbox and to every actor's inbox. The
// body is read first, within a deadline, the 1 MiB cap and a memory budget
// shared by all inbox requests (readBody), so that slow senders hold no
// processing slot; then a slot is taken and the request is checked: content
// type, the HTTP signature (with the checks httpsig leaves to us), key owner
// = actor; only then is the body decoded, once, within shape limits, and
// handed to one handler per activity type. Processing is idempotent by
// activity id; the answer is 202, as Mastodon's. The outcome is written,
// counted and logged in one place.
func (f *Federation) Inbox(w http.ResponseWriter, r *http.Request) {
	res := f.receive(w, r)
	switch {
	case res.status >= 500 && !errors.Is(res.err, errInboxBusy): // shedding load is no failure
		f.logBounded(&f.failureLog, slog.LevelError, "inbox processing failed", "remote_host", r.RemoteAddr,
			"err", res.err, "activity_id", res.id)
	case res.status >= 400:
		f.logBounded(&f.refusalLog, slog.LevelWarn, "inbox activity refused", "remote_host", r.RemoteAddr,
			"status", res.status, "err", res.err, "activity_id", res.id, "key_id", httpsign.KeyIDFromRequest(r))
	case f.log.Enabled(r.Context(), slog.LevelDebug): // no line to build on the hot path otherwise
		f.log.Debug("inbox activity "+res.outcome, "remote_host", r.RemoteAddr, "type", res.typ,
			"activity_id", res.id, "err", res.err)
	}
	if res.status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "30")
	}
	if res.status == http.StatusAccepted {
		w.WriteHeader(res.status)
	} else {
		http.Error(w, res.message, res.status)
	}
	f.countInbox(res.typ, res.outcome)
}

// inboxResult is what became of one inbox POST.
type inboxResult struct {
	status  int
	message string // for the client, when status is not 202
	outcome string // Inbox* constant (inbox_count.go)
	typ     string // activity type, when known
	id      string // activity id, when known
	err     error  // for the log only
}

func refused(status int, message string, err error) inboxResult {
	return inboxResult{status: status, message: message, outcome: InboxRefused, err: err}
}

func (f *Federation) receive(w http.ResponseWriter, r *http.Request) inboxResult {
	ctx := r.Context()
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil ||
		(mt != ContentTypeAS && mt != "application/ld+json") {
		return refused(http.StatusUnsupportedMediaType, "content type must be application/activity+json", err)
	}
	body, release, err := f.readBody(w, r)
	if err != nil {
		var tooBig *http.MaxBytesError
		switch {
		case errors.As(err, &tooBig):
			return refused(http.StatusRequestEntityTooLarge, "body too large", err)
		case errors.Is(err, errInboxBusy):
			return refused(http.StatusServiceUnavailable, "busy, retry later", err)
		}
		return refused(http.StatusBadRequest, "cannot read body", err)
	}
	defer release()
	select {
	case f.inboxSlots <- struct{}{}:
		defer func() { <-f.inboxSlots }()
	default:
		return refused(http.StatusServiceUnavailable, "busy, retry later", errInboxBusy)
	}
	keyOwner, blocked := f.isBlockedKey(r)
	if blocked { // before verifying: no key is fetched from a blocked server
		return refused(http.StatusForbidden, "blocked", nil)
	}
	v, err := httpsign.Verify(ctx, r, body, f.uris.Host(), f.now(), f.PublicKey)
	if err != nil {
		if errors.Is(err, httpsign.ErrKeyUnavailable) && f.isSelfDeleteOfUnknown(body) {
			// Mastodon's rule (inboxes_controller.rb#unknown_affected_account?):
			// a gone actor's Delete of itself needs no check.
			return inboxResult{status: http.StatusAccepted, outcome: InboxIgnored, typ: "Delete", err: err}
		}
		return inboxResult{status: http.StatusUnauthorized, message: "signature rejected",
			outcome: InboxRejectedSignature, err: err}
	}
	in, err := decodeActivity(body)
	switch {
	case errors.Is(err, ErrUnknownType):
		return inboxResult{status: http.StatusAccepted, outcome: InboxIgnored, err: err}
	case err != nil:
		return refused(http.StatusBadRequest, "malformed activity", err)
	}
	res := inboxResult{typ: in.Type, id: in.ID}
	switch {
	case !uris.SameOrigin(in.ID, in.Actor):
		// An id on another server would let one server mark another's
		// activity as already seen.
		res.status, res.message, res.outcome = http.StatusBadRequest, "activity id must be on the actor's server", InboxRefused
	case in.Actor != v.Owner && f.isRelayForward(ctx, in, v.Owner):
		// A relay forwarding a subscriber's activity: only the object's
		// id is taken, and fetched from its origin (relay.go).
		res.status, res.outcome = http.StatusAccepted, InboxAccepted
	case in.Actor != v.Owner:
		res.status, res.message, res.outcome = http.StatusUnauthorized,
			"signature key does not belong to the activity's actor", InboxRejectedSignature
		res.err = fmt.Errorf("key %s is %s's, not %s's", v.KeyID, v.Owner, in.Actor)
	default:
		in.actorChecked = in.Actor == keyOwner // Mastodon's keys: actor#main-key
		if res.err = f.dispatch(ctx, in, ""); res.err != nil {
			res.status = httperr.Status(res.err)
			res.message, res.outcome = http.StatusText(res.status), InboxRefused
		} else {
			res.status, res.outcome = http.StatusAccepted, InboxAccepted
		}
	}
	return res
}

// maxSelfDeletePeek bounds the body read before its signature verifies,
// for the self-Delete rule: a real one is about 1 KB.
const maxSelfDeletePeek = 16 << 10

// isSelfDeleteOfUnknown reports whether body is an actor deleting itself
// that we do not know, which is answered 202 without a usable key. Only
// three fields of a small body are decoded: the rest of it is unverified.
func (f *Federation) isSelfDeleteOfUnknown(body []byte) bool {
	if len(body) > maxSelfDeletePeek {
		return false
	}
	var peek struct {
		Type   string          `json:"type"`
		Actor  string          `json:"actor"`
		Object json.RawMessage `json:"object"`
	}
	if json.Unmarshal(body, &peek) != nil || peek.Type != "Delete" || peek.Actor == "" {
		return false
	}
	var object struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(peek.Object, &object.ID) != nil && json.Unmarshal(peek.Object, &object) != nil {
		return false
	}
	if object.ID != peek.Actor {
		return false
	}
	_, err := f.svc.Actor(context.Background(), peek.Actor)
	return err != nil
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
			f.fetch.forgetKeys(in.Actor)
			return f.svc.ReceiveActorDelete(ctx, in.ID, in.Actor)
		}
		return f.svc.ReceiveDelete(ctx, in.ID, in.Actor, in.Object)
	case "Announce":
		return f.onAnnounce(ctx, in)
	case "Move":
		return f.onMove(ctx, in)
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
	if errors.Is(err, service.ErrNotFound) {
		return nil
	}
	if err == nil {
		f.pokePeers()
	}
	return err
}

// actor returns a known actor: local, stored, recently fetched, or
// fetched now.
func (f *Federation) actor(ctx context.Context, iri string) (model.Actor, error) {
	if a, ok := f.svc.LocalActor(ctx, iri); ok {
		return a, nil
	}
	a, err := f.svc.Actor(ctx, iri)
	if err == nil {
		return a, nil
	}
	if a, ok := f.fetch.cachedActor(iri); ok {
		return a, nil
	}
	return f.fetch.FetchActor(ctx, iri) // not stored: nothing to refresh
}

func (f *Federation) onUndo(ctx context.Context, in *incoming) error {
	if in.Embed == nil {
		return f.svc.ReceiveUndo(ctx, in.ID, in.Actor, in.Object)
	}
	return f.svc.ReceiveUndoActivity(ctx, in.ID, in.Actor, service.Undone{ID: in.Object,
		Type: str(in.Embed, "type"), Actor: iri(in.Embed["actor"]), Object: iri(in.Embed["object"])})
}

// onFollowAnswer handles Accept or Reject of a Follow we sent. The Follow
// may be embedded (Mastodon, GoToSocial) or named by its IRI.
func (f *Federation) onFollowAnswer(ctx context.Context, in *incoming) error {
	if relay, err := f.svc.ReceiveRelayAnswer(ctx, in.ID, in.Actor, in.Object, in.Type == "Accept"); relay || err != nil {
		return err // the answer of a relay to our subscription
	}
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
	started, err := f.svc.ReceiveFollowAnswer(ctx, in.ID, local, in.Actor, in.Object, in.Type == "Accept")
	if started {
		f.queueBackfill(in.Actor)
	}
	if err == nil && in.Type == "Accept" {
		f.pokePeers()
	}
	return err
}

func (f *Federation) onCreateOrUpdate(ctx context.Context, in *incoming, via string) error {
	if in.Embed == nil {
		return nil // an object by reference only: not fetched (yet)
	}
	typ := str(in.Embed, "type")
	if in.Type == "Update" && actorTypes[typ] {
		a, err := ASToActor(in.Embed, f.san, f.now())
		if err != nil {
			return err
		}
		if a.Type == "Organization" && a.ID == in.Actor {
			if r, ok := f.svc.Introduced(ctx, a.ID); ok {
				// A maillage server that discovered us through a relay
				// introduces itself (service/discover.go): taken as the
				// relay's announcement, fetched from its origin.
				f.queueRelayed(ctx, r, relayJob{relay: r.Actor, id: a.ID})
				return nil
			}
		}
		if err := f.svc.ReceiveActorUpdate(ctx, in.ID, in.Actor, a); err != nil {
			return err
		}
		f.fetch.forgetKeys(a.ID) // a rotated key stops verifying at once
		return nil
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
		if aud, _ := f.audienceOf(ctx, in); aud != model.AudiencePublic && aud != model.AudienceUnlisted {
			return nil // a direct or followers-only answer is not published in the thread
		}
		reply, err := ASToReply(in.Embed, f.san)
		if err != nil {
			return err
		}
		return f.receiveReply(ctx, in.ID, in.Actor, reply)
	}
	o, err := ASToObject(in.Embed, f.san)
	if err != nil {
		return err
	}
	o.Audience, o.Addressed = f.audienceOf(ctx, in)
	err = f.receiveObject(ctx, in.Type, in.ID, in.Actor, via, o)
	var ve *model.ValidationError
	if errors.As(err, &ve) {
		f.logBounded(&f.refusalLog, slog.LevelInfo, "remote object dropped", "activity_id", in.ID, "err", err)
		return nil // invalid structured fields from a remote are dropped, not stored
	}
	return err
}

// onAnnounce counts boosts of our objects, and unwraps activities that a
// followed instance actor relays for the organisations of its server.
func (f *Federation) onAnnounce(ctx context.Context, in *incoming) error {
	if r, ok := f.svc.RelayOf(ctx, in.Actor); ok {
		f.onRelayAnnounce(ctx, r, in) // fetched from its origin (relay.go); not a boost
		return nil
	}
	if f.uris.IsLocal(in.Object) {
		return f.svc.ReceiveReaction(ctx, in.ID, model.ReactionAnnounce, in.ID, in.Actor, in.Object, false)
	}
	if in.Embed == nil || str(in.Embed, "actor") == "" {
		return nil
	}
	inner, err := decodeMap(in.Embed)
	if err != nil {
		return nil
	}
	switch inner.Type {
	case "Create", "Update", "Delete":
	default:
		return nil
	}
	// The service decides whether in.Actor may relay it (origin rule).
	ok, err := f.svc.ReceiveRelayed(ctx, in.Actor, service.Relayed{ID: inner.ID, Actor: inner.Actor, Object: inner.Object,
		AboutActor: inner.Object == inner.Actor || (inner.Embed != nil && actorTypes[str(inner.Embed, "type")])})
	if err != nil || !ok {
		return err
	}
	return f.dispatch(ctx, inner, in.Actor)
}
