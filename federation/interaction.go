package federation

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/errs"
)

// subscribeRel is the WebFinger link whose template is a server's page to
// follow or interact with a remote {uri} (OStatus' name, which Mastodon
// still serves: app/serializers/webfinger_serializer.rb).
const subscribeRel = "http://ostatus.org/schema/1.0/subscribe"

// ErrNoInteractionPage is a server that answers WebFinger for the visitor
// without a subscribe template: it has no page to follow from (GoToSocial's
// WebFinger gives only self and profile-page links,
// internal/processing/fedi/wellknown.go; its users follow from their app).
var ErrNoInteractionPage = errs.New(errs.RemoteInvalid, "federation: the server has no page to follow from")

// interactionTimeout bounds the WebFinger lookups of one InteractionURL.
const interactionTimeout = 10 * time.Second

// InteractionURL is the page of a visitor's own server where they may
// follow uri: account is what the visitor typed, name@host (or
// @name@host), a URL on their server, or a host alone. It follows
// Mastodon's remote interaction helper
// (app/javascript/entrypoints/remote_interaction_helper.ts): ask the
// server's WebFinger about the account (or the URL, or the server's own
// https://host) for its subscribe template; without one, or when the
// lookup fails, use Mastodon's /authorize_interaction?uri={uri}. Lookups
// go through the guarded client, bounded in time and size. A template
// that is not http(s) is refused.
func (c *Client) InteractionURL(ctx context.Context, account, uri string) (string, error) {
	ctx, cancel := context.WithTimeout(ctx, interactionTimeout)
	defer cancel()
	account = strings.TrimPrefix(strings.TrimSpace(account), "@")
	var resource, host, scheme string
	switch {
	case strings.HasPrefix(account, "https://") || strings.HasPrefix(account, "http://"):
		u, err := url.Parse(account)
		if err != nil || !validHost(u.Host) {
			return "", errs.E(errs.Invalid, fmt.Errorf("interaction: %q is not a URL of a server", account))
		}
		resource, host, scheme = account, u.Host, u.Scheme
		if u.Path == "" || u.Path == "/" {
			resource = u.Scheme + "://" + u.Host
		}
	case strings.Contains(account, "@"):
		user, h, _ := strings.Cut(account, "@")
		if user == "" || strings.ContainsAny(user, "/?#:\\ \t\r\n") || !validHost(h) {
			return "", errs.E(errs.Invalid, fmt.Errorf("interaction: %q is not a name@server handle", account))
		}
		resource, host, scheme = "acct:"+account, h, c.fingerScheme
	default:
		if !validHost(account) {
			return "", errs.E(errs.Invalid, fmt.Errorf("interaction: %q is not a server", account))
		}
		host, scheme = account, c.fingerScheme
		resource = scheme + "://" + host
	}
	template, answered := c.subscribeTemplate(ctx, scheme, host, resource)
	if template == "" && !answered && !strings.HasPrefix(resource, scheme+"://"+host) {
		template, answered = c.subscribeTemplate(ctx, scheme, host, scheme+"://"+host) // as the helper's fromDomain
	}
	if template == "" && answered {
		return "", fmt.Errorf("interaction: %s: %w", host, ErrNoInteractionPage)
	}
	if template == "" { // nothing answered: Mastodon's path, as the helper's fallback
		template = scheme + "://" + host + "/authorize_interaction?uri={uri}"
	}
	out := strings.ReplaceAll(template, "{uri}", url.QueryEscape(uri))
	if u, err := url.Parse(out); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errs.E(errs.RemoteInvalid, fmt.Errorf("interaction: %s gives an unusable template %q", host, template))
	}
	return out, nil
}

// subscribeTemplate is the subscribe template host's WebFinger gives for
// resource, or "" if it gives none; answered says whether it gave a
// document at all.
func (c *Client) subscribeTemplate(ctx context.Context, scheme, host, resource string) (template string, answered bool) {
	u := scheme + "://" + host + "/.well-known/webfinger?resource=" + url.QueryEscape(resource)
	m, _, err := c.fetchJSON(ctx, u, contentTypeJRD+", application/json")
	if err != nil {
		c.log.Debug("interaction lookup failed", "remote_host", host, "err", err)
		return "", false
	}
	links, _ := m["links"].([]any)
	for _, l := range links {
		lm, _ := l.(map[string]any)
		if t := str(lm, "template"); str(lm, "rel") == subscribeRel && strings.Contains(t, "{uri}") {
			return t, true
		}
	}
	return "", true
}

// validHost reports whether h can be a host[:port] on its own: not empty,
// nothing a URL would read as a path, query, user or fragment.
func validHost(h string) bool {
	if h == "" || len(h) > 253 || strings.ContainsAny(h, "/?#@ \\\t\r\n") {
		return false
	}
	u, err := url.Parse("https://" + h)
	return err == nil && u.Host == h && u.Hostname() != ""
}
