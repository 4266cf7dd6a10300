package sitecheck

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"codeberg.org/maillage/maillage/federation/safehttp"
)

const actor = "https://127.0.0.2:8443/orgs/coop"

// site serves pages on 127.0.0.1 by path.
func site(t *testing.T, pages map[string]string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		if to, ok := strings.CutPrefix(body, "redirect:"); ok {
			http.Redirect(w, r, to, http.StatusFound)
			return
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func checker(allowPrivate bool) *Checker {
	return &Checker{HTTP: safehttp.NewClient(safehttp.Options{AllowPrivate: allowPrivate})}
}

func TestLinksBack(t *testing.T) {
	big := "<html><body>" + strings.Repeat("<p>filler</p>", MaxBytes/13+1) + `<a rel="me" href="` + actor + `">us</a>`
	srv := site(t, map[string]string{
		"/a":        `<html><body><a href="` + actor + `" rel="nofollow me noopener">fediverse</a></body></html>`,
		"/link":     `<html><head><link rel="ME" href="` + strings.ToUpper(actor) + `"></head></html>`,
		"/other":    `<a rel="me" href="https://127.0.0.9/orgs/someone">x</a><a href="` + actor + `">no rel</a>`,
		"/relmeish": `<a rel="meh" href="` + actor + `">x</a><img rel="me" src="` + actor + `">`,
		"/big":      big,
		"/redirect": "redirect:/a",
	})
	c := checker(true)
	for _, tc := range []struct {
		path    string
		want    bool
		wantErr error
	}{
		{"/a", true, nil},
		{"/link", true, nil},
		{"/other", false, nil},
		{"/relmeish", false, nil},
		{"/redirect", true, nil},
		{"/missing", false, ErrStatus},
		{"/big", false, ErrTooLarge},
	} {
		t.Run(tc.path, func(t *testing.T) {
			got, err := c.LinksBack(context.Background(), srv.URL+tc.path, actor)
			if got != tc.want || (tc.wantErr == nil) != (err == nil) || (tc.wantErr != nil && !errors.Is(err, tc.wantErr)) {
				t.Errorf("LinksBack(%s) = %v, %v; want %v, %v", tc.path, got, err, tc.want, tc.wantErr)
			}
		})
	}
	if _, err := c.LinksBack(context.Background(), "javascript:alert(1)", actor); !errors.Is(err, ErrBadURL) {
		t.Errorf("javascript: URL: err = %v, want ErrBadURL", err)
	}
}

// A website that redirects to an address the policy forbids is refused:
// the guard sees the address of every hop, not only the first. Redirects
// stay on the website's host (TestCrossHostRedirectNotFollowed), so the
// second dial plays the hop whose name resolves to a private address.
func TestLinksBackRedirectToPrivateRefused(t *testing.T) {
	front := site(t, map[string]string{"/": "redirect:/next", "/next": `<a rel="me" href="` + actor + `">x</a>`})
	if ok, err := checker(true).LinksBack(context.Background(), front.URL+"/", actor); !ok || err != nil {
		t.Fatalf("allowed: %v, %v; want a match", ok, err)
	}
	var dials atomic.Int32
	dialer := &net.Dialer{Control: func(_, address string, _ syscall.RawConn) error {
		if dials.Add(1) > 1 {
			return safehttp.ErrForbiddenAddress
		}
		return nil
	}}
	c := &Checker{HTTP: &http.Client{Transport: &http.Transport{DialContext: dialer.DialContext, DisableKeepAlives: true},
		CheckRedirect: safehttp.CheckRedirect}}
	ok, err := c.LinksBack(context.Background(), front.URL+"/", actor)
	if ok || !errors.Is(err, safehttp.ErrForbiddenAddress) {
		t.Fatalf("redirect to a forbidden address: %v, %v; want ErrForbiddenAddress", ok, err)
	}
	// And the production client refuses loopback outright.
	if ok, err := checker(false).LinksBack(context.Background(), front.URL+"/", actor); ok || !errors.Is(err, safehttp.ErrForbiddenAddress) {
		t.Fatalf("private not allowed: %v, %v; want ErrForbiddenAddress", ok, err)
	}
}

// A rel="me" link to a short address that redirects to the actor counts,
// as in Mastodon (VerifyLinkService#link_redirects_back?): only the first
// rel="me" link is tried, and the redirect is not followed.
func TestLinksBackThroughRedirect(t *testing.T) {
	srv := site(t, map[string]string{
		"/s/coop":  "redirect:" + actor,
		"/s/other": "redirect:https://127.0.0.9/orgs/other",
		"/short":   `<a rel="me" href="/s/coop">us</a>`,
		"/second":  `<a rel="me" href="/s/other">x</a><a rel="me" href="/s/coop">us</a>`,
		"/chain":   `<a rel="me" href="/s/hop">us</a>`,
		"/s/hop":   "redirect:/s/coop",
	})
	c := checker(true)
	for path, want := range map[string]bool{"/short": true, "/second": false, "/chain": false} {
		if got, err := c.LinksBack(context.Background(), srv.URL+path, actor); got != want || err != nil {
			t.Errorf("LinksBack(%s) = %v, %v; want %v", path, got, err, want)
		}
	}
}

func TestServesToken(t *testing.T) {
	srv := site(t, map[string]string{WellKnownPath: "other-token\n  tok-123  \n"})
	c := checker(true)
	if ok, err := c.ServesToken(context.Background(), srv.URL+"/about/us", "tok-123"); !ok || err != nil {
		t.Errorf("token served: %v, %v", ok, err)
	}
	if ok, err := c.ServesToken(context.Background(), srv.URL, "tok-12"); ok || err != nil {
		t.Errorf("prefix of a token: %v, %v; want false", ok, err)
	}
	if ok, _ := c.ServesToken(context.Background(), srv.URL, ""); ok {
		t.Error("empty token matched")
	}
	big := site(t, map[string]string{WellKnownPath: strings.Repeat("x", maxTokenBytes+1)})
	if _, err := c.ServesToken(context.Background(), big.URL, "x"); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized token file: %v, want ErrTooLarge", err)
	}
}
