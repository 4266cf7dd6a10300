package federation

import (
	"context"
	"crypto"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	neturl "net/url"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/federation/safehttp"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// ErrGone is returned when a fetched document answers 404 or 410.
var ErrGone = errors.New("federation: remote document gone")

// fetchJSON GETs url signed as the instance actor (GoToSocial and
// authorized-fetch Mastodon refuse unsigned fetches) and decodes it.
func (f *Federation) fetchJSON(ctx context.Context, url, accept string) (map[string]any, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	req.Header.Set("Accept", accept)
	keyID, key, err := f.signer(model.InstanceName)
	if err != nil {
		return nil, err
	}
	if err := httpsign.Sign(req, keyID, key, nil, f.now()); err != nil {
		return nil, fmt.Errorf("fetch %s: sign: %w", url, err)
	}
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusNotFound || resp.StatusCode == http.StatusGone {
		return nil, fmt.Errorf("fetch %s: %d: %w", url, resp.StatusCode, ErrGone)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("fetch %s: status %d", url, resp.StatusCode)
	}
	body, err := safehttp.ReadLimited(resp.Body, maxFetchBody)
	if err != nil {
		return nil, fmt.Errorf("fetch %s: %w", url, err)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, fmt.Errorf("fetch %s: %w: %v", url, ErrMalformed, err)
	}
	return m, nil
}

// FetchAS fetches an ActivityStreams document and checks, as Mastodon does
// (json_ld_helper.rb), its content type and that its id is the URL asked
// for (a fragment, as in key ids, is dropped first).
func (f *Federation) FetchAS(ctx context.Context, iri string) (map[string]any, error) {
	url, _, _ := strings.Cut(iri, "#")
	m, err := f.fetchJSON(ctx, url, ContentTypeAS+`, `+contentTypeLD)
	if err != nil {
		return nil, err
	}
	if id := str(m, "id"); id != url && id != iri {
		return nil, fmt.Errorf("fetch %s: %w: document id is %q", url, ErrMalformed, id)
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
// kept, a report), and one already stored is refreshed. So verifying the
// signature of an activity that is then ignored writes nothing.
func (f *Federation) FetchActor(ctx context.Context, iri string) (model.Actor, error) {
	m, err := f.FetchAS(ctx, iri)
	if err != nil {
		return model.Actor{}, err
	}
	a, err := ASToActor(m, f.san, f.now())
	if err != nil {
		return a, err
	}
	f.cacheActor(a)
	if err := f.svc.RefreshActor(ctx, a); err != nil {
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
	// is, the owner's own document is then fetched and must list this key.
	url, _, _ := strings.Cut(keyID, "#")
	m, err := f.fetchJSON(ctx, url, ContentTypeAS+`, `+contentTypeLD)
	if err != nil {
		return "", nil, err
	}
	actorIRI := str(m, "id")
	if !actorTypes[str(m, "type")] {
		actorIRI = iri(m["owner"])
	}
	if !isHTTPIRI(actorIRI) || !sameOrigin(actorIRI, keyID) {
		return "", nil, fmt.Errorf("key %s: %w: owner %q on another server", keyID, ErrMalformed, actorIRI)
	}
	a, err := f.FetchActor(ctx, actorIRI)
	if err != nil {
		return "", nil, err
	}
	if a.KeyID != keyID {
		return "", nil, fmt.Errorf("key %s: actor %s lists key %s", keyID, a.ID, a.KeyID)
	}
	return f.cacheKey(keyID, a)
}

func (f *Federation) cacheKey(keyID string, a model.Actor) (string, crypto.PublicKey, error) {
	key, err := httpsign.DecodePublicKey(a.PublicKeyPEM)
	if err != nil {
		return "", nil, fmt.Errorf("key %s: %w", keyID, err)
	}
	f.mu.Lock()
	if _, ok := f.keys[keyID]; !ok && len(f.keys) >= maxCachedKeys {
		evictOne(f.keys) // only stored actors' keys are also in the store
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
	if _, ok := f.refreshed[keyID]; !ok && len(f.refreshed) >= maxCachedKeys {
		evictOne(f.refreshed)
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

// forgetKeys drops the cached keys and document of an actor that deleted
// or updated itself.
func (f *Federation) forgetKeys(actor string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	delete(f.actors, actor)
	for id, k := range f.keys {
		if k.owner == actor {
			delete(f.keys, id)
		}
	}
}
