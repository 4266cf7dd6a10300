package sitecheck

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"codeberg.org/maillage/maillage/federation/safehttp"
)

// MaxBytes is how much of a page is read: Mastodon reads a linked page up
// to 1 MiB (Request#body_with_limit) before looking for rel="me".
const MaxBytes = 1 << 20

// maxTokenBytes bounds the well-known claim file: a few tokens, one a line.
const maxTokenBytes = 4 << 10

// WellKnownPath is where a website serves claim tokens, one a line.
const WellKnownPath = "/.well-known/maillage-claim.txt"

// Errors a check fails with, besides the client's (refused address,
// redirects, timeout), which it wraps.
var (
	ErrStatus   = errors.New("sitecheck: status not 200")
	ErrTooLarge = safehttp.ErrTooLarge
	ErrBadURL   = errors.New("sitecheck: not an http or https URL")
	// ErrOtherHost is a redirect off the website's own host: what another
	// host serves says nothing of the website, and an open redirect on it
	// would let anyone's page stand in for it.
	ErrOtherHost = errors.New("sitecheck: redirect to another host")
)

// Checker fetches websites. It is safe for concurrent use.
type Checker struct {
	// HTTP is the guarded client (safehttp.NewClient): it refuses private
	// addresses unless allowed, bounds time and redirects.
	HTTP *http.Client
}

// LinksBack reports whether the page at pageURL holds an <a> or <link>
// whose rel contains "me" and whose href is one of targets (compared
// without case), or, failing that, whether the first such link redirects
// to one of them (a short link): what Mastodon's VerifyLinkService counts
// as a link back. Only a 200 answer is read, at most MaxBytes of it;
// redirects are followed on the page's own host only (ErrOtherHost).
func (c *Checker) LinksBack(ctx context.Context, pageURL string, targets ...string) (bool, error) {
	return c.ClaimsPage(ctx, pageURL, "", targets...)
}

// ClaimMeta is the name of the <meta> element whose content is a claim's
// token on a page that proves the claim by rel="me".
const ClaimMeta = "maillage-claim"

// ClaimsPage is LinksBack for one claimant: the page must also hold
// <meta name="maillage-claim" content="TOKEN">, so that the link, the same
// for every claimant, proves only the claim whose token is there. An empty
// token asks for the link alone.
func (c *Checker) ClaimsPage(ctx context.Context, pageURL, token string, targets ...string) (bool, error) {
	body, err := c.get(ctx, pageURL, "text/html", MaxBytes)
	if err != nil {
		return false, err
	}
	defer body.Close()
	p, err := scan(body, targets, token)
	if err != nil || !p.token {
		return false, err
	}
	if p.linked || p.first == "" {
		return p.linked, nil
	}
	return c.redirectsTo(ctx, pageURL, p.first, targets), nil
}

// redirectsTo reports whether a HEAD of href (relative to page) answers a
// redirect whose Location is one of targets, without following it. A
// failure is no link back: the page itself was read.
func (c *Checker) redirectsTo(ctx context.Context, page, href string, targets []string) bool {
	base, err := url.Parse(page)
	if err != nil {
		return false
	}
	ref, err := base.Parse(href)
	if err != nil || (ref.Scheme != "http" && ref.Scheme != "https") {
		return false
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, ref.String(), nil)
	if err != nil {
		return false
	}
	once := *c.HTTP // the same guarded transport, without following
	once.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := once.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	loc := resp.Header.Get("Location")
	return loc != "" && slices.Contains(targets, loc)
}

// ServesToken reports whether the website's origin serves token as one of
// the lines of WellKnownPath.
func (c *Checker) ServesToken(ctx context.Context, website, token string) (bool, error) {
	u, err := parseHTTP(website)
	if err != nil {
		return false, err
	}
	wk := url.URL{Scheme: u.Scheme, Host: u.Host, Path: WellKnownPath}
	body, err := c.get(ctx, wk.String(), "text/plain", maxTokenBytes)
	if err != nil {
		return false, err
	}
	defer body.Close()
	b, err := safehttp.ReadLimited(body, maxTokenBytes)
	if err != nil {
		return false, err
	}
	for line := range strings.Lines(string(b)) {
		if token != "" && strings.TrimSpace(line) == token {
			return true, nil
		}
	}
	return false, nil
}

// limitedBody fails the read past its limit instead of truncating it, so
// an oversized page is an error, never half a page checked.
type limitedBody struct {
	io.Reader
	io.Closer
}

func (c *Checker) get(ctx context.Context, raw, accept string, limit int64) (io.ReadCloser, error) {
	u, err := parseHTTP(raw)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, fmt.Errorf("sitecheck: %w", err)
	}
	req.Header.Set("Accept", accept)
	resp, err := c.onSite(u).Do(req)
	if err != nil {
		return nil, fmt.Errorf("sitecheck: get %s: %w", u.Host, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: %d from %s", ErrStatus, resp.StatusCode, u.Host)
	}
	if resp.ContentLength > limit {
		resp.Body.Close()
		return nil, fmt.Errorf("%w: %d bytes announced", ErrTooLarge, resp.ContentLength)
	}
	return limitedBody{&strictLimit{r: resp.Body, left: limit, limit: limit}, resp.Body}, nil
}

// onSite is the guarded client following redirects only on site's own
// host (sameSite), within the client's own bounds.
func (c *Checker) onSite(site *url.URL) *http.Client {
	cl := *c.HTTP
	next := c.HTTP.CheckRedirect
	cl.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if !sameSite(site, req.URL) {
			return fmt.Errorf("%w: %s", ErrOtherHost, req.URL.Host)
		}
		if next != nil {
			return next(req, via)
		}
		if len(via) >= 10 { // net/http's default policy
			return errors.New("stopped after 10 redirects")
		}
		return nil
	}
	return &cl
}

// strictLimit reads at most left bytes and fails with ErrTooLarge when
// there are more.
type strictLimit struct {
	r           io.Reader
	left, limit int64
}

func (s *strictLimit) Read(p []byte) (int, error) {
	if s.left < 0 {
		return 0, ErrTooLarge
	}
	if int64(len(p)) > s.left+1 {
		p = p[:s.left+1]
	}
	n, err := s.r.Read(p)
	s.left -= int64(n)
	if s.left < 0 {
		return n, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, s.limit)
	}
	return n, err
}

func parseHTTP(raw string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: %q", ErrBadURL, raw)
	}
	u.Fragment = ""
	return u, nil
}

// page is what scan found: a rel="me" link to a target, the href of the
// first rel="me" link otherwise, and the claim token (true when none is
// asked for).
type page struct {
	linked, token bool
	first         string
}

// scan tokenises the page (no tree is built) and looks at each <a>, <link>
// and <meta> start tag. It reads to the end or until all is found: a read
// error past the limit fails the check.
func scan(r io.Reader, targets []string, token string) (page, error) {
	p := page{token: token == ""}
	z := html.NewTokenizer(r)
	for {
		switch z.Next() {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return page{}, err
			}
			if p.linked {
				p.first = ""
			}
			return p, nil
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			if !hasAttr || (tag != "a" && tag != "link" && tag != "meta") {
				continue
			}
			attrs := map[string]string{}
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "rel", "href", "name", "content":
					attrs[string(k)] = string(v)
				}
			}
			if tag == "meta" {
				if token != "" && strings.EqualFold(strings.TrimSpace(attrs["name"]), ClaimMeta) && strings.TrimSpace(attrs["content"]) == token {
					p.token = true
				}
			} else if hasMe(attrs["rel"]) {
				if matches(attrs["href"], targets) {
					p.linked = true
				} else if p.first == "" {
					p.first = strings.TrimSpace(attrs["href"])
				}
			}
			if p.linked && p.token {
				p.first = ""
				return p, nil
			}
		}
	}
}

func hasMe(rel string) bool {
	for _, f := range strings.Fields(rel) {
		if strings.EqualFold(f, "me") {
			return true
		}
	}
	return false
}

func matches(href string, targets []string) bool {
	href = strings.TrimSpace(href)
	for _, t := range targets {
		if t != "" && strings.EqualFold(href, t) {
			return true
		}
	}
	return false
}

// sameSite reports whether to is on from's host: the same name (without
// case or a final dot) and port, or the name with or without "www.", the
// move most websites make on their own.
func sameSite(from, to *url.URL) bool {
	host := func(u *url.URL) (string, string) {
		name := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
		port := u.Port()
		if port == "" || (port == "443" && u.Scheme == "https") || (port == "80" && u.Scheme == "http") {
			port = ""
		}
		return strings.TrimPrefix(name, "www."), port
	}
	a, ap := host(from)
	b, bp := host(to)
	return a != "" && a == b && ap == bp
}
