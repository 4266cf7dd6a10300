package server_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// browser starts a headless Chromium (Debian's package, installed by
// .ci/run) for one test, or skips the test when there is none.
func browser(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("no Chromium found (apt-get install chromium): browser test skipped")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true), chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-sync", true),
		chromedp.WindowSize(1100, 1400))
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTimeout(); cancelCtx(); cancelAlloc() })
	return ctx
}

// TestBrowserCallLifecycle: an administrator logs in, creates a call in the
// web interface, sees its public page; a second instance that follows the
// first finds it in its directory by filtering on the call's sector.
func TestBrowserCallLifecycle(t *testing.T) {
	ctx := browser(t)
	a := testenv.Start(t, "127.0.0.30", testenv.Options{})
	b := testenv.Start(t, "127.0.0.31", testenv.Options{})
	follow(t, b, "coop", a.Handle("coop"))
	waitAccepted(t, b, "coop", a.Actor("coop"))

	const title = "Seeking repair cafés for a textile pilot"
	signInAdmin(t, ctx, a, "en")
	err := chromedp.Do(ctx,
		chromedp.Navigate(a.Base+"/admin/orgs/coop/calls/new"),
		chromedp.SendKeys(chromedp.ID("title"), title),
		chromedp.SendKeys(chromedp.ID("summary"), "Two repair cafés to test our textile repair kit."),
		chromedp.SendKeys(chromedp.ID("text"), "We bring **the kits**; you bring the menders."),
		chromedp.Click(chromedp.ID("sector-circular-economy")),
		chromedp.Click(chromedp.ID("role-pilot-user")),
		chromedp.SetValue(chromedp.ID("deadline"), "2027-06-30"),
		chromedp.SendKeys(chromedp.ID("location_name"), "Lyon"),
		chromedp.SendKeys(chromedp.ID("location_country"), "FR"),
		chromedp.SendKeys(chromedp.ID("latitude"), "45.76"),
		chromedp.SendKeys(chromedp.ID("longitude"), "4.83"),
		chromedp.Submit(chromedp.ID("title")),
		chromedp.WaitVisible(chromedp.CSS("article h1")),
	)
	if err != nil {
		t.Fatalf("create the call in the browser: %v", err)
	}
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	h1, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("article h1")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(loc, a.Base+"/orgs/coop/calls/") || h1 != title {
		t.Fatalf("after saving: at %s with title %q, want the call's public page", loc, h1)
	}
	screenshot(t, ctx, "call.jpg")

	waitObject(t, b, a.Actor("coop"), loc, func(o model.Object) bool { return o.Title == title })
	err = chromedp.Do(ctx,
		chromedp.Navigate(b.Base+"/directory"),
		// The sectors fold away until one is chosen (small screens).
		chromedp.Click(chromedp.CSS(`fieldset.sectors summary`)),
		chromedp.Click(chromedp.CSS(`input[name="sector"][value="circular-economy"]`)),
		chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)),
	)
	if err != nil {
		t.Fatalf("filter B's directory: %v", err)
	}
	testenv.WaitFor(t, 30*time.Second, "the filtered directory page", func() bool {
		location, err := chromedp.Run(ctx, chromedp.Location())
		return err == nil && strings.Contains(location, "sector=circular-economy")
	})
	results, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`ol.results`)))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(results, title) || !strings.Contains(results, a.Host) {
		t.Errorf("B's directory filtered on circular-economy shows %q, want the call from %s", results, a.Host)
	}
	screenshot(t, ctx, "directory.jpg")
}

// screenshot saves the page to $MAILLAGE_SCREENSHOTS/name when that
// variable names a directory (how docs/screenshots are made).
func screenshot(t *testing.T, ctx context.Context, name string) {
	dir := os.Getenv("MAILLAGE_SCREENSHOTS")
	if dir == "" {
		return
	}
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		t.Errorf("screenshot: %v", err)
	}
}

// TestBrowserMember: an administrator invites a member in the browser; the
// member joins, states an interest, follows an organisation of another
// instance, and then sees that organisation's matching call on /me.
func TestBrowserMember(t *testing.T) {
	ctx := browser(t)
	a := testenv.Start(t, "127.0.0.32", testenv.Options{})
	b := testenv.Start(t, "127.0.0.33", testenv.Options{})
	const password = "a member's long passphrase"
	// The administrator invites a member of B's organisation.
	signInAdmin(t, ctx, b, "en")
	err := chromedp.Do(ctx,
		chromedp.Navigate(b.Base+"/admin/accounts"),
		chromedp.SetValue(chromedp.ID("role"), "member"),
		chromedp.Click(chromedp.ID("invite-org-coop")),
		chromedp.Submit(chromedp.CSS(`form[action="/admin/accounts/invite"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`div[role="status"] code`)),
	)
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	link, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`div[role="status"] code`)))
	if err != nil || !strings.Contains(link, "/join?code=") {
		t.Fatalf("invitation link = %q, %v", link, err)
	}
	// The member joins, logs in (which ends the administrator's session in
	// this browser), states an interest and follows A's organisation.
	steps := []struct {
		name    string
		actions []chromedp.Action[chromedp.Void]
	}{
		{"join", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(link),
			chromedp.SendKeys(chromedp.ID("username"), "bea"),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.SendKeys(chromedp.ID("password_again"), password),
			chromedp.Submit(chromedp.ID("password_again")),
			chromedp.WaitReady(chromedp.CSS(`form[action="/login"]`)), // joined: on to the login page
		}},
		{"login", []chromedp.Action[chromedp.Void]{
			chromedp.SendKeys(chromedp.ID("username"), "bea"),
			chromedp.SendKeys(chromedp.ID("password"), password),
			chromedp.Submit(chromedp.ID("password")),
			chromedp.WaitReady(chromedp.CSS(`a[href="/me/following"]`)),
		}},
		{"interests", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(b.Base + "/me/interests"),
			chromedp.Click(chromedp.CSS(`input[name="sectors"][value="circular-economy"]`)),
			chromedp.Submit(chromedp.CSS(`input[name="sectors"][value="circular-economy"]`)),
			chromedp.WaitVisible(chromedp.CSS(`p[role="status"]`)),
		}},
		{"follow", []chromedp.Action[chromedp.Void]{
			chromedp.Navigate(b.Base + "/me/following"),
			chromedp.SendKeys(chromedp.ID("target"), a.Handle("coop")),
			chromedp.Submit(chromedp.ID("target")),
			chromedp.WaitReady(chromedp.CSS(`form[action="/me/unfollow"]`)), // the follow is listed
		}},
	}
	for _, st := range steps {
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(sctx, st.actions...)
		cancel()
		if err != nil {
			loc, _ := chromedp.Run(ctx, chromedp.Location())
			text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
			t.Fatalf("step %s: %v (at %s: %.300s)", st.name, err, loc, text)
		}
	}
	testenv.WaitFor(t, wait, "bea's follow of A's organisation accepted", func() bool {
		for _, f := range followers(a, "coop") {
			if strings.HasSuffix(f.Actor, "/members/bea") && !f.Pending {
				return true
			}
		}
		return false
	})
	call := callInput()
	call.Title = "Textile repair kits need pilot users"
	call.Sectors = []string{"circular-economy"}
	publish(t, a, "coop", call)
	testenv.WaitFor(t, wait, "the matching call on bea's /me page", func() bool {
		if err := chromedp.Do(ctx, chromedp.Navigate(b.Base+"/me")); err != nil {
			return false
		}
		text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main")))
		return err == nil && strings.Contains(text, call.Title)
	})
	if err := chromedp.Do(ctx, chromedp.Navigate(b.Base+"/me/home")); err != nil {
		t.Fatal(err)
	}
	if text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("main"))); err != nil || !strings.Contains(text, call.Title) {
		t.Errorf("bea's home feed lacks the followed organisation's call: %q (%v)", text, err)
	}
	screenshot(t, ctx, "member-home.jpg")
}

// adminPassword is the password of the administrator signInAdmin makes.
const adminPassword = "correct horse battery staple"

// signInAdmin makes the administrator alice on in and signs the browser
// in as her, from the sign-in page in lang.
func signInAdmin(t *testing.T, ctx context.Context, in *testenv.Instance, lang string) {
	t.Helper()
	if s := in.API("POST", "/api/v1/admins", map[string]string{"username": "alice", "password": adminPassword}, nil); s != 201 {
		t.Fatalf("create admin: %d", s)
	}
	err := chromedp.Do(ctx,
		chromedp.Navigate(in.Base+"/login?lang="+lang),
		chromedp.SendKeys(chromedp.ID("username"), "alice"),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitReady(chromedp.CSS(`a[href="/admin/relays"]`)),
	)
	if err != nil {
		t.Fatalf("sign in as alice: %v", err)
	}
}
