package sitecheck

import (
	"context"
	"errors"
	"net/url"
	"slices"
	"testing"
)

// LinksBackGated asks its gate before the page and before the HEAD of the
// first rel="me" link, and a gate's error ends the check with nothing more
// asked (finding 9, found in review).
func TestLinksBackGated(t *testing.T) {
	srv := site(t, map[string]string{
		"/s/coop": "redirect:" + actor,
		"/short":  `<a rel="me" href="/s/coop">us</a>`,
	})
	c := checker(true)
	var asked []string
	gate := func(u *url.URL) error { asked = append(asked, u.Path); return nil }
	if ok, err := c.LinksBackGated(context.Background(), gate, srv.URL+"/short", actor); !ok || err != nil {
		t.Errorf("LinksBackGated = %v, %v; want true", ok, err)
	}
	if want := []string{"/short", "/s/coop"}; !slices.Equal(asked, want) {
		t.Errorf("gate asked for %v, want %v", asked, want)
	}

	busy := errors.New("busy")
	for _, path := range []string{"/short", "/s/coop"} {
		gate := func(u *url.URL) error {
			if u.Path == path {
				return busy
			}
			return nil
		}
		if ok, err := c.LinksBackGated(context.Background(), gate, srv.URL+"/short", actor); ok || !errors.Is(err, busy) {
			t.Errorf("gate busy for %s: %v, %v; want false and the gate's error", path, ok, err)
		}
	}
}
