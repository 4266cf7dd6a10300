package server_test

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/testenv/testrelay"
)

// TestBrowserRelayDiscovery: on the relays page, at 1280 and 390 px
// without horizontal scrolling, the administrator turns a relay's
// discovery off with its button, and the page then says so.
func TestBrowserRelayDiscovery(t *testing.T) {
	ctx := browser(t)
	relay := testrelay.Start(t, "127.0.6.70")
	a := testenv.Start(t, "127.0.6.71", testenv.Options{})
	joinRelay(t, relay.Inbox, a)
	signInAdmin(t, ctx, a, "en")
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(a.Base+"/admin/relays"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/relays/discovery"] button`)),
		chromedp.WaitVisible(chromedp.CSS("ul.relays")),
	)
	if err != nil {
		t.Fatalf("turn discovery off: %v", err)
	}
	// WaitVisible may have matched the page before the button's answer:
	// the POST is awaited here.
	testenv.WaitFor(t, 30*time.Second, "the button to turn discovery off", func() bool { return !relayOf(t, a, relay.Inbox).Discovery })
	for _, width := range []int64{1280, 390} {
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(a.Base+"/admin/relays"),
			chromedp.WaitVisible(chromedp.CSS("ul.relays"))); err != nil {
			t.Fatalf("open the relays page at %d px: %v", width, err)
		}
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil || overflow {
			t.Errorf("at %d px the page scrolls sideways (%v)", width, err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		if err != nil || !strings.Contains(text, "no discovery") || !strings.Contains(text, "Read the servers it makes known") {
			t.Errorf("at %d px the page reads %q (%v)", width, text, err)
		}
		screenshot(t, ctx, "admin-relays-"+strconv.Itoa(int(width))+".jpg")
	}
}
