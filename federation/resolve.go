package federation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

// nodeInfoApplicationRel is FEP-2677's link to a server's instance actor.
const nodeInfoApplicationRel = "https://www.w3.org/ns/activitystreams#Application"

// ResolveActor implements service.Resolver. target is name@host (or
// @name@host), an actor IRI, or a host / base URL meaning that server's
// instance actor (found through FEP-2677's NodeInfo link). The service asks
// only for remote targets; an actor IRI of ours met on the way is returned bare
// (only its ID), for the service to describe.
func (c *Client) ResolveActor(ctx context.Context, target string) (model.Actor, error) {
	target = strings.TrimSpace(strings.TrimPrefix(target, "@"))
	var actorIRI string
	switch {
	case strings.HasPrefix(target, "https://") || strings.HasPrefix(target, "http://"):
		u, err := url.Parse(target)
		if err != nil {
			return model.Actor{}, errs.E(errs.RemoteInvalid, fmt.Errorf("resolve %q: %w", target, err))
		}
		if u.Path == "" || u.Path == "/" {
			return c.instanceActor(ctx, u.Scheme, u.Host)
		}
		actorIRI = target
	case strings.Contains(target, "@"):
		var err error
		if actorIRI, err = c.webFinger(ctx, target); err != nil {
			return model.Actor{}, err
		}
	default:
		return c.instanceActor(ctx, c.fingerScheme, target)
	}
	return c.lookupActor(ctx, actorIRI)
}

// lookupActor fetches an actor from an IRI that does not come from the
// actor's own activities: typed by a person, or a WebFinger or NodeInfo
// link. Such an IRI may lead to an actor whose id is another URL (a moved
// server, a /@name page). As Mastodon does when the id is not known
// (app/helpers/jsonld_helper.rb, fetch_resource: fetch, then fetch the
// document's id and require that it match), the document's id is fetched
// once more, with FetchAS's checks, when the server that finally served it
// is on that id's origin; a document served by another origin than its id's
// is refused, as FetchAS refuses it.
func (c *Client) lookupActor(ctx context.Context, iri string) (model.Actor, error) {
	if _, ok := c.uris.LocalActorName(iri); ok {
		return model.Actor{ID: iri}, nil
	}
	a, err := c.FetchActor(ctx, iri)
	var ie *idError
	if !errors.As(err, &ie) || ie.id == ie.url || !isHTTPIRI(ie.id) || !uris.SameOrigin(ie.id, ie.final) {
		return a, err
	}
	if _, ok := c.uris.LocalActorName(ie.id); ok {
		return model.Actor{ID: ie.id}, nil
	}
	return c.FetchActor(ctx, ie.id)
}

// webFinger finds the actor IRI of name@host.
func (c *Client) webFinger(ctx context.Context, handle string) (string, error) {
	_, host, _ := strings.Cut(handle, "@")
	if host == "" || strings.ContainsAny(host, "/?#@ ") {
		return "", errs.E(errs.RemoteInvalid, fmt.Errorf("resolve %q: not a name@host handle", handle))
	}
	u := c.fingerScheme + "://" + host + "/.well-known/webfinger?resource=" + url.QueryEscape("acct:"+handle)
	m, _, err := c.fetchJSON(ctx, u, contentTypeJRD+", application/json")
	if err != nil {
		return "", fmt.Errorf("webfinger %s: %w", handle, err)
	}
	links, _ := m["links"].([]any)
	for _, l := range links {
		lm, _ := l.(map[string]any)
		if str(lm, "rel") == "self" && isASContentType(str(lm, "type")) && isHTTPIRI(str(lm, "href")) {
			return str(lm, "href"), nil
		}
	}
	return "", errs.E(errs.RemoteInvalid, fmt.Errorf("webfinger %s: %w: no self link", handle, ErrMalformed))
}

// instanceActor finds a server's instance actor through NodeInfo (FEP-2677).
func (c *Client) instanceActor(ctx context.Context, scheme, host string) (model.Actor, error) {
	m, _, err := c.fetchJSON(ctx, scheme+"://"+host+"/.well-known/nodeinfo", "application/json")
	if err != nil {
		return model.Actor{}, fmt.Errorf("instance actor of %s: %w", host, err)
	}
	links, _ := m["links"].([]any)
	for _, l := range links {
		lm, _ := l.(map[string]any)
		if str(lm, "rel") == nodeInfoApplicationRel && isHTTPIRI(str(lm, "href")) {
			return c.lookupActor(ctx, str(lm, "href"))
		}
	}
	return model.Actor{}, errs.E(errs.RemoteInvalid, fmt.Errorf("instance actor of %s: %w: no FEP-2677 link in nodeinfo", host, ErrMalformed))
}
