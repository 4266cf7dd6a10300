package federation

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	neturl "net/url"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/federation/safehttp"
	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// ErrGone is returned when a fetched document answers 404 or 410.
var ErrGone = errs.New(errs.Gone, "federation: remote document gone")

// fetchJSON GETs url signed as the instance actor (GoToSocial and
// authorized-fetch Mastodon refuse unsigned fetches) and decodes it. It also
// returns the URL the document was finally served from: after redirects, the
// origin of that URL, not of the one asked for, is the server that answered,
// and callers check ids against it (see FetchAS).
func (f *Federation) fetchJSON(ctx context.Context, url, accept string) (doc map[string]any, final string, err error) {
	// Failures of the remote, or of the URL it was reached by, are classified
	// remote (the caller says "could not be resolved"); a failure to sign is
	// ours and stays unclassified (internal).
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", errs.E(errs.RemoteInvalid, fmt.Errorf("fetch %s: %w", url, err))
	}
	req.Header.Set("Accept", accept)
	keyID, key, err := f.signer(model.InstanceName)
	if err != nil {
		return nil, "", err
	}
	sign := func(r *http.Request) error { return httpsign.Sign(r, keyID, key, nil, f.now()) }
	if err := sign(req); err != nil {
		return nil, "", fmt.Errorf("fetch %s: sign: %w", url, err)
	}
	resp, err := f.signingClient(sign).Do(req)
	if err != nil {
		return nil, "", errs.E(errs.RemoteUnavailable, fmt.Errorf("fetch %s: %w", url, err))
	}
	defer resp.Body.Close()
	final = resp.Request.URL.String()
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
		return nil, "", errs.E(errs.RemoteUnavailable, fmt.Errorf("fetch %s: %d: %w", url, resp.StatusCode, ErrGone))
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", errs.E(errs.RemoteUnavailable, fmt.Errorf("fetch %s: status %d", url, resp.StatusCode))
	}
	body, err := safehttp.ReadLimited(resp.Body, maxFetchBody)
	if err != nil {
		return nil, "", errs.E(errs.RemoteInvalid, fmt.Errorf("fetch %s: %w", url, err))
	}
	if err := checkShape(body); err != nil { // a fetched document is as untrusted as an inbox body
		return nil, "", errs.E(errs.RemoteInvalid, fmt.Errorf("fetch %s: %w", url, err))
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, "", errs.E(errs.RemoteInvalid, fmt.Errorf("fetch %s: %w: %v", url, ErrMalformed, err))
	}
	return m, final, nil
}

// signingClient is f.client, signing each redirect hop afresh for its own
// target with sign.
//
// A signature covers (request-target), host and date: made for the first
// URL, it is invalid at the next hop, and there it is a credential for the
// first host that the next one could replay (safehttp.CheckRedirect drops it
// when the origin changes). Refusing redirects to other origins instead would
// break WebFinger delegation (example.org redirecting to social.example.org,
// Mastodon's LOCAL_DOMAIN and WEB_DOMAIN) and moved servers, while GoToSocial
// and authorized-fetch Mastodon refuse unsigned GETs. A hop's own signature
// only says that our instance actor asks for that URL, which it would sign if
// the URL were fetched directly; what the answer is trusted for is decided by
// the origin of the final URL (FetchAS, PublicKey). Mastodon's
// app/lib/request.rb computes its signature once, for the first URL, and
// lets http.rb's follow(max_hops: 3) resend it to every hop.
func (f *Federation) signingClient(sign func(*http.Request) error) *http.Client {
	c := *f.client
	policy := c.CheckRedirect
	if policy == nil {
		policy = safehttp.CheckRedirect
	}
	c.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if err := policy(r, via); err != nil {
			return err
		}
		if err := sign(r); err != nil {
			return fmt.Errorf("redirect to %s: sign: %w", r.URL.Redacted(), err)
		}
		return nil
	}
	return &c
}

// idError is the error of a fetch whose document's id is not the URL asked
// for, or whose final URL, after redirects, is not on the id's origin. It
// wraps ErrMalformed.
type idError struct {
	url   string // asked for
	id    string // the document's id
	final string // where the document was served from
}

func (e *idError) Error() string {
	return fmt.Sprintf("fetch %s: %v: document id %q served from %s", e.url, ErrMalformed, e.id, e.final)
}

func (e *idError) Unwrap() error { return ErrMalformed }

// ErrKind classifies the mismatch as the remote's: its kind is not the
// inbox body's errs.Malformed that ErrMalformed carries.
func (e *idError) ErrKind() errs.Kind { return errs.RemoteInvalid }

// FetchAS fetches the ActivityStreams document whose id is iri (a fragment,
// as in key ids, is dropped first). As Mastodon does for a known id
// (app/helpers/jsonld_helper.rb, fetch_resource), the document's id must be
// the URL asked for; and the URL it was finally served from, after
// redirects, must be on the origin of that id. A server vouches only for its
// own ids: through an open redirect on a followed server, another host could
// otherwise serve an actor, a key or an outbox page in that server's name
// (the class of Mastodon's CVE-2024-23832, GHSA-3fjr-858r-92rw: a document
// accepted for an origin that did not serve it). Redirects within the
// origin (/users/x to /@x) are fine.
func (f *Federation) FetchAS(ctx context.Context, iri string) (map[string]any, error) {
	url, _, _ := strings.Cut(iri, "#")
	m, final, err := f.fetchJSON(ctx, url, ContentTypeAS+`, `+contentTypeLD)
	if err != nil {
		return nil, err
	}
	if id := str(m, "id"); (id != url && id != iri) || !sameOrigin(id, final) {
		return nil, &idError{url: url, id: id, final: final}
	}
	return m, nil
}

func isASContentType(ct string) bool {
	mt, params, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == ContentTypeAS || (mt == "application/ld+json" && strings.Contains(params["profile"], "activitystreams")) ||
		mt == "application/ld+json"
}

// FetchActor fetches, checks and stores a remote actor.
func (f *Federation) FetchActor(ctx context.Context, iri string) (model.Actor, error) {
	m, err := f.FetchAS(ctx, iri)
	if err != nil {
		return model.Actor{}, err
	}
	a, err := ASToActor(m, f.san, f.now())
	if err != nil {
		return a, errs.E(errs.RemoteInvalid, err)
	}
	if err := f.svc.RememberActor(ctx, a); err != nil {
		return a, err
	}
	return a, nil
}

// PublicKey implements httpsign.KeyFunc: local actors' keys come from the
// store, remote ones from the cache, the store, or a signed fetch of the key
// id (an actor document, or a key document whose owner is then fetched).
func (f *Federation) PublicKey(ctx context.Context, keyID string, refresh bool) (string, crypto.PublicKey, error) {
	if f.uris.IsLocal(keyID) {
		return f.localPublicKey(keyID)
	}
	if refresh && !f.mayRefresh(keyID) {
		refresh = false // refetched moments ago: a forged signature must not make us hammer the key's server
	}
	if !refresh {
		f.mu.Lock()
		c, ok := f.keys[keyID]
		f.mu.Unlock()
		if ok {
			return c.owner, c.key, nil
		}
		var a model.Actor
		err := f.store.View(func(tx *store.Tx) error {
			var err error
			a, err = tx.ActorByKeyID(keyID)
			return err
		})
		if err == nil {
			return f.cacheKey(keyID, a)
		}
	}
	// The key id may dereference to the actor (Mastodon: …#main-key), to a
	// key document naming its owner, or to a stub actor whose id is the
	// actor's rather than the key's (GoToSocial: …/main-key). Whichever it
	// is, it must have been served, after redirects, from the key id's
	// origin and name an owner there; the owner's own document is then
	// fetched with FetchAS's checks and must list this key.
	url, _, _ := strings.Cut(keyID, "#")
	m, final, err := f.fetchJSON(ctx, url, ContentTypeAS+`, `+contentTypeLD)
	if err != nil {
		return "", nil, err
	}
	if !sameOrigin(final, keyID) {
		return "", nil, errs.E(errs.RemoteInvalid, fmt.Errorf("key %s: %w: served from %s", keyID, ErrMalformed, final))
	}
	actorIRI := str(m, "id")
	if !actorTypes[str(m, "type")] {
		actorIRI = iri(m["owner"])
	}
	if !isHTTPIRI(actorIRI) || !sameOrigin(actorIRI, keyID) {
		return "", nil, errs.E(errs.RemoteInvalid, fmt.Errorf("key %s: %w: owner %q on another server", keyID, ErrMalformed, actorIRI))
	}
	a, err := f.FetchActor(ctx, actorIRI)
	if err != nil {
		return "", nil, err
	}
	if a.KeyID != keyID {
		return "", nil, errs.E(errs.RemoteInvalid, fmt.Errorf("key %s: actor %s lists key %s", keyID, a.ID, a.KeyID))
	}
	return f.cacheKey(keyID, a)
}

func (f *Federation) cacheKey(keyID string, a model.Actor) (string, crypto.PublicKey, error) {
	key, err := httpsign.DecodePublicKey(a.PublicKeyPEM)
	if err != nil {
		return "", nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	f.mu.Lock()
	if len(f.keys) >= maxCachedKeys {
		clear(f.keys) // crude but bounded; the store still has every key
	}
	f.keys[keyID] = cachedKey{a.ID, key}
	f.mu.Unlock()
	return a.ID, key, nil
}

func (f *Federation) localPublicKey(keyID string) (string, crypto.PublicKey, error) {
	actorIRI, _, _ := strings.Cut(keyID, "#")
	name, ok := f.uris.LocalActorName(actorIRI)
	if !ok || f.uris.KeyID(name) != keyID {
		return "", nil, fmt.Errorf("key %s: %w", keyID, store.ErrNotFound)
	}
	_, priv, err := f.signer(name)
	if err != nil {
		return "", nil, err
	}
	return actorIRI, &priv.PublicKey, nil
}

// keyRefreshInterval is how often one key may be refetched after a failed
// verification (key rotation).
const keyRefreshInterval = time.Minute

// mayRefresh reports whether keyID may be refetched now, and records it.
func (f *Federation) mayRefresh(keyID string) bool {
	now := f.now()
	f.mu.Lock()
	defer f.mu.Unlock()
	if last, ok := f.refreshed[keyID]; ok && now.Sub(last) < keyRefreshInterval {
		return false
	}
	if len(f.refreshed) >= maxCachedKeys {
		clear(f.refreshed)
	}
	f.refreshed[keyID] = now
	return true
}

// sameOrigin reports whether two IRIs share scheme and host[:port].
func sameOrigin(a, b string) bool {
	ua, err1 := neturl.Parse(a)
	ub, err2 := neturl.Parse(b)
	return err1 == nil && err2 == nil && ua.Host != "" && ua.Scheme == ub.Scheme && ua.Host == ub.Host
}

// forgetKeys drops the cached keys of an actor that deleted itself.
func (f *Federation) forgetKeys(actor string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, k := range f.keys {
		if k.owner == actor {
			delete(f.keys, id)
		}
	}
}
