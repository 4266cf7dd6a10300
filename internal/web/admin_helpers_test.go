package web_test

import (
	"context"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
)

const (
	adminUser     = "alice"
	adminPassword = "correct horse battery staple"
	wait          = 20 * time.Second
)

// browser is a person using the admin pages: it keeps cookies, does not
// follow redirects (tests check them), and sends what a browser sends on
// a same-origin form post.
type browser struct {
	t      *testing.T
	in     *testenv.Instance
	client *http.Client
	header http.Header // added to every request
}

func newBrowser(t *testing.T, in *testenv.Instance) *browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &browser{t: t, in: in, header: http.Header{}, client: &http.Client{Transport: in.Client().Transport, Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// startAdmin builds an instance named ip, served through its handler
// (testenv.NewHandler: no federation), with an administrator, and a
// browser signed in as that administrator.
func startAdmin(t *testing.T, ip string) (*testenv.Instance, *browser) {
	t.Helper()
	in := testenv.NewHandler(t, ip, testenv.Options{})
	return in, adminOn(t, in)
}

// adminOn creates the administrator on in and returns a browser signed in
// as that administrator.
func adminOn(t *testing.T, in *testenv.Instance) *browser {
	t.Helper()
	createAdmin(t, in)
	b := newBrowser(t, in)
	b.login(adminUser, adminPassword, http.StatusSeeOther)
	return b
}

func createAdmin(t *testing.T, in *testenv.Instance) {
	t.Helper()
	body := map[string]string{"username": adminUser, "password": adminPassword}
	if s := in.API("POST", "/api/v1/admins", body, nil); s != http.StatusCreated {
		t.Fatalf("create admin: status %d", s)
	}
}

func (b *browser) do(req *http.Request) (*http.Response, string) {
	b.t.Helper()
	for k, v := range b.header {
		req.Header[k] = v
	}
	resp, err := b.client.Do(req)
	if err != nil {
		b.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

func (b *browser) get(path string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.in.Base+path, nil)
	req.Header.Set("Sec-Fetch-Site", "none")
	return b.do(req)
}

// post submits a form the way a browser does from one of the instance's
// own pages.
func (b *browser) post(path string, form url.Values) (*http.Response, string) {
	b.t.Helper()
	return b.postFrom(path, form, "same-origin", b.in.Base)
}

// postFrom submits a form with the given Sec-Fetch-Site and Origin
// headers (omitted when empty).
func (b *browser) postFrom(path string, form url.Values, site, origin string) (*http.Response, string) {
	b.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.in.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if site != "" {
		req.Header.Set("Sec-Fetch-Site", site)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return b.do(req)
}

func (b *browser) login(user, password string, want int) *http.Response {
	b.t.Helper()
	resp, body := b.post("/login", url.Values{"username": {user}, "password": {password}})
	if resp.StatusCode != want {
		b.t.Fatalf("login as %s: status %d, want %d\n%s", user, resp.StatusCode, want, body)
	}
	return resp
}

// wantRedirect checks a POST-redirect-GET answer.
func wantRedirect(t *testing.T, resp *http.Response, body, location string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Location"); got != location {
		t.Errorf("Location = %q, want %q", got, location)
	}
}

// wantFieldError checks that a form came back with 422 and message next
// to field, linked to it.
func wantFieldError(t *testing.T, resp *http.Response, body, field, message string) {
	t.Helper()
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422\n%s", resp.StatusCode, body)
	}
	if !strings.Contains(body, `aria-describedby="err-`+field+`"`) {
		t.Errorf("no field linked to err-%s", field)
	}
	i := strings.Index(body, `<span id="err-`+field+`"`)
	if i < 0 {
		t.Fatalf("no message for %s in\n%s", field, body)
	}
	if end := strings.Index(body[i:], "</span>"); end < 0 || !strings.Contains(html.UnescapeString(body[i:i+end]), message) {
		t.Errorf("message for %s = %q, want it to contain %q", field, body[i:], message)
	}
}

// org returns a local organisation as the service holds it.
func org(t *testing.T, in *testenv.Instance, name string) model.Org {
	t.Helper()
	o, err := in.Server.Service.Org(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func objectsOf(t *testing.T, in *testenv.Instance, actor string) []model.Object {
	t.Helper()
	objs, err := in.Server.Service.ObjectsBy(context.Background(), actor)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// merge returns base with the values of over replacing its own.
func merge(base, over url.Values) url.Values {
	out := url.Values{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}
