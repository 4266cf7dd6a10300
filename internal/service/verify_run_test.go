package service

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"codeberg.org/maillage/maillage/store"
)

// Turns on one host are spaced; another host is free at once.
func TestHostGateSpacing(t *testing.T) {
	g := &hostGate{spacing: 10 * time.Second, next: map[string]time.Time{}}
	now := time.Now()
	for i := range 3 {
		if got, want := g.book("site.example", now), now.Add(time.Duration(i)*10*time.Second); !got.Equal(want) {
			t.Errorf("turn %d on one host at %v, want %v", i, got.Sub(now), want.Sub(now))
		}
	}
	if got := g.book("other.example", now); !got.Equal(now) {
		t.Errorf("another host's turn in %v", got.Sub(now))
	}
}

func TestHostKey(t *testing.T) {
	for _, raw := range []string{"https://Site.Example/a", "https://site.example:443/b", "https://site.example./c",
		"https://www.site.example/d", "http://site.example:80/"} {
		u, _ := url.Parse(raw)
		if got := hostKey(u); got != "site.example" {
			t.Errorf("hostKey(%s) = %q, want site.example", raw, got)
		}
	}
	u, _ := url.Parse("https://site.example:8443/")
	if got := hostKey(u); got != "site.example:8443" {
		t.Errorf("another port: %q", got)
	}
}

// fakeSites answers every check with a link back, and notes each request
// it would make: the page, and a HEAD of the first rel="me" link for the
// pages whose path is /short (to https://site.example/s).
type fakeSites struct {
	mu   sync.Mutex
	reqs []fakeReq
}

type fakeReq struct {
	url string
	at  time.Time
}

func (f *fakeSites) note(raw string) {
	f.mu.Lock()
	f.reqs = append(f.reqs, fakeReq{raw, time.Now()})
	f.mu.Unlock()
}

func (f *fakeSites) LinksBack(ctx context.Context, page string, targets ...string) (bool, error) {
	return f.LinksBackGated(ctx, nil, page, targets...)
}

func (f *fakeSites) LinksBackGated(ctx context.Context, gate func(*url.URL) error, page string, targets ...string) (bool, error) {
	steps := []string{page}
	if strings.HasSuffix(page, "/short") {
		steps = append(steps, "https://site.example/s")
	}
	for _, raw := range steps {
		if gate != nil {
			u, _ := url.Parse(raw)
			if err := gate(u); err != nil {
				return false, err
			}
		}
		f.note(raw)
	}
	return true, nil
}

func (f *fakeSites) ClaimsPage(ctx context.Context, page, token string, targets ...string) (bool, error) {
	return f.LinksBack(ctx, page, targets...)
}

func (f *fakeSites) ServesToken(context.Context, string, string) (bool, error) { return false, nil }

// TestVerificationsSpaced: the spacing holds per host however its name is
// written (case, :443, a final dot, www.), and for the HEAD of a page's
// first rel="me" link; and many organisations on one host do not hold up
// a check of another host (finding 9, found in review).
func TestVerificationsSpaced(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sites := &fakeSites{}
		e := newTestEnv(t, func(_ *testEnv, d *Deps) { d.Sites = sites })
		websites := []string{"https://Site.Example/a", "https://site.example:443/b", "https://site.example./c",
			"https://www.site.example/d", "https://third.example/short", "https://site.example/e", "https://site.example/f"}
		err := e.st.Update(func(tx *store.Tx) error {
			for i, w := range websites {
				a := orgOn("p.example", "o"+string(rune('a'+i)))
				a.Profile.Website = w
				if err := tx.PutActor(a); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			e.svc.RunVerifications(ctx, VerifyOptions{Workers: 2, Spacing: 10 * time.Second})
			close(done)
		}()
		// A change a second later, on another host, while the sweep's
		// checks of site.example wait for their turns.
		time.Sleep(time.Second)
		other := orgOn("q.example", "other")
		other.Profile.Website = "https://other.example/"
		if err := e.st.Update(func(tx *store.Tx) error { return tx.PutActor(other) }); err != nil {
			t.Fatal(err)
		}
		e.svc.noticeWebsites([]string{other.ID})
		time.Sleep(5 * time.Minute)
		cancel()
		<-done

		byHost := map[string][]time.Duration{}
		for _, r := range sites.reqs {
			u, _ := url.Parse(r.url)
			byHost[hostKey(u)] = append(byHost[hostKey(u)], r.at.Sub(start))
		}
		for host, ats := range byHost {
			slices.Sort(ats)
			for i := 1; i < len(ats); i++ {
				if ats[i]-ats[i-1] < 10*time.Second {
					t.Errorf("%s asked at %v: less than 10 s apart", host, ats)
					break
				}
			}
		}
		if got := len(byHost["site.example"]); got != 7 {
			t.Errorf("site.example asked %d times, want 7 (six pages and a HEAD)", got)
		}
		if ats := byHost["other.example"]; len(ats) != 1 || ats[0] != time.Second {
			t.Errorf("other.example asked at %v, want once, at once (1s)", ats)
		}
		for _, iri := range []string{"https://p.example/orgs/oa", "https://p.example/orgs/oe", "https://q.example/orgs/other"} {
			if !verified(t, e, iri) {
				t.Errorf("%s not verified", iri)
			}
		}
	})
}
