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
// as a link back. Only a 200 answer is read, at most MaxBytes of it.
func (c *Checker) LinksBack(ctx context.Context, pageURL string, targets ...string) (bool, error) {
	body, err := c.get(ctx, pageURL, "text/html", MaxBytes)
	if err != nil {
		return false, err
	}
	defer body.Close()
	found, first, err := linksBack(body, targets)
	if found || err != nil || first == "" {
		return found, err
	}
	return c.redirectsTo(ctx, pageURL, first, targets), nil
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
	resp, err := c.HTTP.Do(req)
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

// linksBack tokenises the page (no tree is built) and looks at each <a>
// and <link> start tag. It reads to the end or the first match: a read
// error past the limit fails the check. Without a match, first is the
// href of the first rel="me" link, if any.
func linksBack(r io.Reader, targets []string) (found bool, first string, err error) {
	z := html.NewTokenizer(r)
	for {
		switch z.Next() {
		case html.ErrorToken:
			if err := z.Err(); err != io.EOF {
				return false, "", err
			}
			return false, first, nil
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			if !hasAttr || (string(name) != "a" && string(name) != "link") {
				continue
			}
			var rel, href string
			for more := true; more; {
				var k, v []byte
				k, v, more = z.TagAttr()
				switch string(k) {
				case "rel":
					rel = string(v)
				case "href":
					href = string(v)
				}
			}
			if !hasMe(rel) {
				continue
			}
			if matches(href, targets) {
				return true, "", nil
			}
			if first == "" {
				first = strings.TrimSpace(href)
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
