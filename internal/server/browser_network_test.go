package server_test

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestBrowserNetwork: B's administrator describes B in the instance form
// (in French), then opens B's network page, which lists A (followed) and C
// (a follower), each with its NodeInfo, at 1280 and 390 px without
// horizontal scrolling; following C from the page makes B's instance
// follow C's, which the page then says.
func TestBrowserNetwork(t *testing.T) {
	ctx := browser(t)
	a := testenv.Start(t, "127.0.0.236", testenv.Options{})
	b := testenv.Start(t, "127.0.0.237", testenv.Options{Configure: fastNetwork})
	c := testenv.Start(t, "127.0.0.238", testenv.Options{})
	if _, err := a.Server.Service.UpdateInstance(context.Background(), service.System("test"),
		service.InstanceInput{Name: "Réseau Bretagne", Region: "Bretagne", Languages: []string{"fr", "br"}}); err != nil {
		t.Fatal(err)
	}
	publish(t, a, "coop", callInput())
	follow(t, b, model.InstanceName, a.Host)
	follow(t, c, "coop", b.Handle("coop"))

	signInAdmin(t, ctx, b, "fr")
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1280, 900),
		chromedp.Navigate(b.Base+"/admin/instance"),
		chromedp.SetValue(chromedp.ID("name"), "Coopératives de Loire"),
		chromedp.SendKeys(chromedp.ID("region"), "Pays de la Loire"),
		chromedp.SendKeys(chromedp.ID("languages"), "fr"),
		chromedp.Submit(chromedp.ID("name")),
		chromedp.WaitVisible(chromedp.CSS(`p[role="status"]`)),
	)
	if err != nil {
		t.Fatalf("describe the instance: %v", err)
	}
	screenshot(t, ctx, "admin-instance.jpg")
	if o, _ := b.Server.Service.Org(context.Background(), model.InstanceName); o.DisplayName != "Coopératives de Loire" || o.Region != "Pays de la Loire" {
		t.Errorf("instance described as %q, %q", o.DisplayName, o.Region)
	}

	// C, a maillage instance known only as a follower, is on the public
	// page too: an instance's followers are part of its network.
	testenv.WaitFor(t, wait, "B's public network page lists A and C, both read", func() bool {
		_, body := b.Get(b.Base+"/network", "text/html")
		page := string(body)
		return strings.Contains(page, "Réseau Bretagne") && strings.Count(page, `class="peer"`) == 2 && !strings.Contains(page, "not read yet")
	})
	for _, width := range []int64{1280, 390} {
		err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(b.Base+"/network"),
			chromedp.WaitVisible(chromedp.CSS("ul.peers")))
		if err != nil {
			t.Fatalf("open the network page at %d px: %v", width, err)
		}
		overflow, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`))
		if err != nil || overflow {
			t.Errorf("at %d px the page scrolls sideways (%v)", width, err)
		}
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		if err != nil || !strings.Contains(text, "Réseau Bretagne") || !strings.Contains(text, "appels ouverts") {
			t.Errorf("at %d px the page reads %q (%v)", width, text, err)
		}
		screenshot(t, ctx, "network-"+strconv.Itoa(int(width))+".jpg")
	}

	err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`ul.peers form button`)),
		chromedp.WaitVisible(chromedp.CSS(`h1`)))
	if err != nil {
		t.Fatalf("follow C from the page: %v", err)
	}
	waitAccepted(t, b, model.InstanceName, c.Actor(model.InstanceName))
	testenv.WaitFor(t, 30*time.Second, "the page says C is followed", func() bool {
		err := chromedp.Do(ctx, chromedp.Navigate(b.Base+"/network"), chromedp.WaitVisible(chromedp.CSS("ul.peers")))
		n, _ := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll("ul.peers form").length`))
		return err == nil && n == 0
	})
}
