package webtest

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

// The administrator AdminOn creates, and how long tests wait for
// asynchronous effects (federation, delivery).
const (
	AdminUser     = "alice"
	AdminPassword = "correct horse battery staple"
	Wait          = 20 * time.Second
)

// Browser is a person using the admin pages: it keeps cookies, does not
// follow redirects (tests check them), and sends what a browser sends on
// a same-origin form post.
type Browser struct {
	T      *testing.T
	In     *testenv.Instance
	Client *http.Client
	Header http.Header // added to every request
}

// NewBrowser is a browser with no session on in.
func NewBrowser(t *testing.T, in *testenv.Instance) *Browser {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Browser{T: t, In: in, Header: http.Header{}, Client: &http.Client{Transport: in.Client().Transport, Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
}

// StartAdmin builds an instance named ip, served through its handler
// (testenv.NewHandler: no federation), with an administrator, and a
// Browser signed in as that administrator.
func StartAdmin(t *testing.T, ip string) (*testenv.Instance, *Browser) {
	t.Helper()
	in := testenv.NewHandler(t, ip, testenv.Options{})
	return in, AdminOn(t, in)
}

// AdminOn creates the administrator on in and returns a Browser signed in
// as that administrator.
func AdminOn(t *testing.T, in *testenv.Instance) *Browser {
	t.Helper()
	CreateAdmin(t, in)
	b := NewBrowser(t, in)
	b.Login(AdminUser, AdminPassword, http.StatusSeeOther)
	return b
}

// CreateAdmin creates the administrator AdminUser on in through the API.
func CreateAdmin(t *testing.T, in *testenv.Instance) {
	t.Helper()
	body := map[string]string{"username": AdminUser, "password": AdminPassword}
	if s := in.API("POST", "/api/v1/admins", body, nil); s != http.StatusCreated {
		t.Fatalf("create admin: status %d", s)
	}
}

// Do sends req with b's headers and cookies and reads the whole answer.
func (b *Browser) Do(req *http.Request) (*http.Response, string) {
	b.T.Helper()
	for k, v := range b.Header {
		req.Header[k] = v
	}
	resp, err := b.Client.Do(req)
	if err != nil {
		b.T.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	return resp, string(data)
}

// Get loads a page as a browser does when the address is typed.
func (b *Browser) Get(path string) (*http.Response, string) {
	b.T.Helper()
	req, _ := http.NewRequest(http.MethodGet, b.In.Base+path, nil)
	req.Header.Set("Sec-Fetch-Site", "none")
	return b.Do(req)
}

// Post submits a form the way a Browser does from one of the instance's
// own pages.
func (b *Browser) Post(path string, form url.Values) (*http.Response, string) {
	b.T.Helper()
	return b.PostFrom(path, form, "same-origin", b.In.Base)
}

// PostFrom submits a form with the given Sec-Fetch-Site and Origin
// headers (omitted when empty).
func (b *Browser) PostFrom(path string, form url.Values, site, origin string) (*http.Response, string) {
	b.T.Helper()
	req, _ := http.NewRequest(http.MethodPost, b.In.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if site != "" {
		req.Header.Set("Sec-Fetch-Site", site)
	}
	if origin != "" {
		req.Header.Set("Origin", origin)
	}
	return b.Do(req)
}

// Login signs in through the login form, wanting the status want.
func (b *Browser) Login(user, password string, want int) *http.Response {
	b.T.Helper()
	resp, body := b.Post("/login", url.Values{"username": {user}, "password": {password}})
	if resp.StatusCode != want {
		b.T.Fatalf("login as %s: status %d, want %d\n%s", user, resp.StatusCode, want, body)
	}
	return resp
}

// WantRedirect checks a POST-redirect-GET answer.
func WantRedirect(t *testing.T, resp *http.Response, body, location string) {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d, want 303\n%s", resp.StatusCode, body)
	}
	if got := resp.Header.Get("Location"); got != location {
		t.Errorf("Location = %q, want %q", got, location)
	}
}

// WantFieldError checks that a form came back with 422 and message next
// to field, linked to it.
func WantFieldError(t *testing.T, resp *http.Response, body, field, message string) {
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

// Org returns a local organisation as the service holds it.
func Org(t *testing.T, in *testenv.Instance, name string) model.Org {
	t.Helper()
	o, err := in.Server.Service.Org(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// ObjectsOf returns the objects of actor as the service holds them.
func ObjectsOf(t *testing.T, in *testenv.Instance, actor string) []model.Object {
	t.Helper()
	objs, err := in.Server.Service.ObjectsBy(context.Background(), actor)
	if err != nil {
		t.Fatal(err)
	}
	return objs
}

// Merge returns base with the values of over replacing its own.
func Merge(base, over url.Values) url.Values {
	out := url.Values{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}
