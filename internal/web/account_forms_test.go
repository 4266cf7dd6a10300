package web_test

import (
	"net/url"
	"testing"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// The join and sign-up forms report every problem at once: two passwords
// that differ no longer hide a username or a password that would be
// refused next.
func TestAccountFormsReportAllErrors(t *testing.T) {
	t.Parallel()
	in := testenv.NewHandler(t, "127.0.0.244", testenv.Options{Configure: func(c *config.Config) { c.Signup = true }})
	code, err := in.Server.Service.Invite(t.Context(), service.System("test"), service.RoleMember, []string{"coop"}, "test")
	if err != nil {
		t.Fatal(err)
	}
	bad := url.Values{"username": {"Not A Name!"}, "password": {"short"}, "password_again": {"other"}}
	for _, c := range []struct {
		path  string
		extra url.Values
	}{
		{"/join", url.Values{"code": {code}}},
		{"/signup", url.Values{"email": {"zoe@example.org"}, "org": {"coop"}}},
	} {
		resp, body := webtest.NewBrowser(t, in).Post(c.path, webtest.Merge(bad, c.extra))
		webtest.WantFieldError(t, resp, body, "username", "")
		webtest.WantFieldError(t, resp, body, "password", "12")
		webtest.WantFieldError(t, resp, body, "password_again", "")
	}
}
