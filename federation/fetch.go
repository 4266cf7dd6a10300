package federation

import (
	"context"
	"crypto"
	"encoding/json"
	"fmt"
	"mime"
	"net/http"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/federation/safehttp"
	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/uris"
)

// ErrGone is returned when a fetched document answers 404 or 410.
var ErrGone = errs.New(errs.Gone, "federation: remote document gone")

// ErrDeleted is returned, besides ErrGone, when a fetched document answers
// 410: its server says it is gone for good (RFC 9110, 15.5.11), where a
// 404 may be a server moved, misconfigured or answering so for a while.
var ErrDeleted = errs.New(errs.Gone, "federation: remote document deleted")

// fetchJSON GETs url signed as the instance actor (GoToSocial and
// authorized-fetch Mastodon refuse unsigned fetches) and decodes it. It also
// returns the URL the document was finally served from: after redirects, the
// origin of that URL, not of the one asked for, is the server that answered,
// and callers check ids against it (see FetchAS).
func (c *Client) fetchJSON(ctx context.Context, url, accept string) (doc map[string]any, final string, err error) {
	return c.fetchJSONMax(ctx, url, accept, maxFetchBody)
}

// fetchJSONMax is fetchJSON with a body of at most limit bytes.
func (c *Client) fetchJSONMax(ctx context.Context, url, accept string, limit int64) (doc map[string]any, final string, err error) {
	// Failures of the remote, or of the URL it was reached by, are classified
	// remote (the caller says "could not be resolved"); a failure to sign is
	// ours and stays unclassified (internal).
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, "", errs.E(errs.RemoteInvalid, fmt.Errorf("fetch %s: %w", url, err))
	}
	req.Header.Set("Accept", accept)
	keyID, key, err := c.local.Key(model.InstanceName)
	if err != nil {
		return nil, "", err
	}
	sign := func(r *http.Request) error { return httpsign.Sign(r, keyID, key, nil, c.now()) }
	if err := sign(req); err != nil {
		return nil, "", fmt.Errorf("fetch %s: sign: %w", url, err)
	}
	resp, err := c.signingClient(sign).Do(req)
	if err != nil {
		return nil, "", errs.E(errs.RemoteUnavailable, fmt.Errorf("fetch %s: %w", url, err))
	}
	defer resp.Body.Close()
	final = resp.Request.URL.String()
	if resp.StatusCode == http.StatusGone {
		return nil, "", errs.E(errs.RemoteUnavailable, fmt.Errorf("fetch %s: %d: %w: %w", url, resp.StatusCode, ErrGone, ErrDeleted))
	}
	if resp.StatusCode == http.StatusNotFound {
		return nil, "", errs.E(errs.RemoteUnavailable, fmt.Errorf("fetch %s: %d: %w", url, resp.StatusCode, ErrGone))
	}
	if resp.StatusCode != http.StatusOK {
		return nil, "", errs.E(errs.RemoteUnavailable, fmt.Errorf("fetch %s: status %d", url, resp.StatusCode))
	}
	body, err := safehttp.ReadLimited(resp.Body, limit)
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

// signingClient is the guarded HTTP client, signing each redirect hop afresh for its own
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
func (c *Client) signingClient(sign func(*http.Request) error) *http.Client {
	hc := *c.http
	policy := hc.CheckRedirect
	if policy == nil {
		policy = safehttp.CheckRedirect
	}
	hc.CheckRedirect = func(r *http.Request, via []*http.Request) error {
		if err := policy(r, via); err != nil {
			return err
		}
		if err := sign(r); err != nil {
			return fmt.Errorf("redirect to %s: sign: %w", r.URL.Redacted(), err)
		}
		return nil
	}
	return &hc
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
func (c *Client) FetchAS(ctx context.Context, iri string) (map[string]any, error) {
	url, _, _ := strings.Cut(iri, "#")
	m, final, err := c.fetchJSON(ctx, url, ContentTypeAS+`, `+contentTypeLD)
	if err != nil {
		return nil, err
	}
	if id := str(m, "id"); (id != url && id != iri) || !uris.SameOrigin(id, final) {
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

// FetchActor fetches and checks a remote actor and keeps it in the
// in-memory cache. It does not store it: an actor is stored by the use
// case that creates a relationship with it (a follow either way, a reply
// kept, a report), and the inbox refreshes one already stored
// (Federation.PublicKey). So verifying the signature of an activity that
// is then ignored writes nothing.
func (c *Client) FetchActor(ctx context.Context, iri string) (model.Actor, error) {
	m, err := c.FetchAS(ctx, iri)
	if err != nil {
		return model.Actor{}, err
	}
	a, err := ASToActor(m, c.san, c.now())
	if err != nil {
		return a, errs.E(errs.RemoteInvalid, err)
	}
	c.cacheActor(a)
	return a, nil
}

// PublicKey implements httpsign.KeyFunc with local keys, the cache and
// signed fetches; the inbox's Federation.PublicKey also looks up the actors
// the service stored.
func (c *Client) PublicKey(ctx context.Context, keyID string, refresh bool) (string, crypto.PublicKey, error) {
	owner, key, _, err := c.publicKey(ctx, keyID, refresh, nil)
	return owner, key, err
}

// publicKey finds the key keyID: a local actor's from the local keys,
// a remote one from the cache, from stored (the inbox's lookup of stored
// actors, Federation.PublicKey; nil for none), or by a signed fetch of the
// key id (an actor document, or a key document whose owner is then
// fetched). It also returns the owner's document when it was fetched to
// find the key (nil otherwise).
func (c *Client) publicKey(ctx context.Context, keyID string, refresh bool, stored func(context.Context, string) (model.Actor, error)) (string, crypto.PublicKey, *model.Actor, error) {
	if c.uris.IsLocal(keyID) {
		owner, key, err := c.localPublicKey(keyID)
		return owner, key, nil, err
	}
	if refresh && !c.mayRefresh(keyID) {
		refresh = false // refetched moments ago: a forged signature must not make us hammer the key's server
	}
	if !refresh {
		c.mu.Lock()
		ck, ok := c.keys[keyID]
		c.mu.Unlock()
		if ok {
			return ck.owner, ck.key, nil, nil
		}
		if stored != nil {
			if a, err := stored(ctx, keyID); err == nil {
				owner, key, err := c.cacheKey(keyID, a)
				return owner, key, nil, err
			}
		}
	}
	// The key id may dereference to the actor (Mastodon: …#main-key), to a
	// key document naming its owner, or to a stub actor whose id is the
	// actor's rather than the key's (GoToSocial: …/main-key). Whichever it
	// is, it must have been served, after redirects, from the key id's
	// origin and name an owner there; the owner's own document is then
	// fetched with FetchAS's checks and must list this key.
	url, _, _ := strings.Cut(keyID, "#")
	m, final, err := c.fetchJSON(ctx, url, ContentTypeAS+`, `+contentTypeLD)
	if err != nil {
		return "", nil, nil, err
	}
	if !uris.SameOrigin(final, keyID) {
		return "", nil, nil, errs.E(errs.RemoteInvalid, fmt.Errorf("key %s: %w: served from %s", keyID, ErrMalformed, final))
	}
	actorIRI := str(m, "id")
	if !actorTypes[str(m, "type")] {
		actorIRI = iri(m["owner"])
	}
	if !isHTTPIRI(actorIRI) || !uris.SameOrigin(actorIRI, keyID) {
		return "", nil, nil, errs.E(errs.RemoteInvalid, fmt.Errorf("key %s: %w: owner %q on another server", keyID, ErrMalformed, actorIRI))
	}
	a, err := c.FetchActor(ctx, actorIRI)
	if err != nil {
		return "", nil, nil, err
	}
	if a.KeyID != keyID {
		return "", nil, &a, errs.E(errs.RemoteInvalid, fmt.Errorf("key %s: actor %s lists key %s", keyID, a.ID, a.KeyID))
	}
	owner, key, err := c.cacheKey(keyID, a)
	return owner, key, &a, err
}

func (c *Client) cacheKey(keyID string, a model.Actor) (string, crypto.PublicKey, error) {
	key, err := httpsign.DecodePublicKey(a.PublicKeyPEM)
	if err != nil {
		return "", nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	c.mu.Lock()
	if _, ok := c.keys[keyID]; !ok && len(c.keys) >= maxCachedKeys {
		evictOne(c.keys) // only stored actors' keys are also in the store
	}
	c.keys[keyID] = cachedKey{a.ID, key}
	c.mu.Unlock()
	return a.ID, key, nil
}

func (c *Client) localPublicKey(keyID string) (string, crypto.PublicKey, error) {
	actorIRI, _, _ := strings.Cut(keyID, "#")
	name, ok := c.uris.LocalActorName(actorIRI)
	if !ok || c.uris.KeyID(name) != keyID {
		return "", nil, fmt.Errorf("key %s: %w", keyID, service.ErrNotFound)
	}
	_, priv, err := c.local.Key(name)
	if err != nil {
		return "", nil, err
	}
	return actorIRI, &priv.PublicKey, nil
}

// keyRefreshInterval is how often one key may be refetched after a failed
// verification (key rotation).
const keyRefreshInterval = time.Minute

// mayRefresh reports whether keyID may be refetched now, and records it.
func (c *Client) mayRefresh(keyID string) bool {
	now := c.now()
	c.mu.Lock()
	defer c.mu.Unlock()
	if last, ok := c.refreshed[keyID]; ok && now.Sub(last) < keyRefreshInterval {
		return false
	}
	if _, ok := c.refreshed[keyID]; !ok && len(c.refreshed) >= maxCachedKeys {
		evictOne(c.refreshed)
	}
	c.refreshed[keyID] = now
	return true
}

// forgetKeys drops the cached keys and document of an actor that deleted
// or updated itself.
func (c *Client) forgetKeys(actor string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	delete(c.actors, actor)
	for id, k := range c.keys {
		if k.owner == actor {
			delete(c.keys, id)
		}
	}
}
