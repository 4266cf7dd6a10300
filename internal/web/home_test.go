package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web"
	"codeberg.org/maillage/maillage/internal/web/webtest"
)

// The home page says what the instance is, whom it hosts, what the
// network holds, lists the latest open calls, and has a way in for each
// kind of visitor, in French as in English.
func TestHomePage(t *testing.T) {
	t.Parallel()
	in, _ := webtest.StartAdmin(t, "127.0.0.239")
	deadline := time.Now().AddDate(0, 3, 0)
	call := publishObject(t, in, "coop", service.ObjectInput{Kind: model.KindCall, Title: "Pilot territories wanted", Sectors: []string{"energy"},
		PartnerRoles: []string{"pilot-territory"}, Deadline: service.Time(deadline)})
	publishObject(t, in, "coop", service.ObjectInput{Kind: model.KindProject, Title: "Solar roofs", Sectors: []string{"energy"}})
	b := webtest.NewBrowser(t, in)
	var body string
	testenv.WaitFor(t, webtest.Wait, "the home page to list the call", func() bool {
		var resp *http.Response
		resp, body = b.Get("/?lang=en")
		return resp.StatusCode == http.StatusOK && strings.Contains(body, call.ID)
	})
	for _, want := range []string{
		"<h1>" + in.Host + "</h1>", "A maillage instance: organisations of the social and solidarity economy",
		"Organisations hosted here: 1", `<a href="/network">in the network it follows: 1 organisations, 1 projects, 1 open calls</a>`,
		`<a href="` + call.ID + `">Pilot territories wanted</a>`, "Projects: 1 · open calls: 1",
		`href="/directory?kind=call&amp;open=1&amp;sort=deadline"`, `href="/directory"`, `href="/login"`,
		`href="` + web.SourceURL + `"`, `href="#follow"`, "<code>@coop@" + in.Host + "</code>",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("home page lacks %q", want)
		}
	}
	if strings.Contains(body, `href="/signup"`) {
		t.Error("the home page offers to sign up on an instance with sign-up closed")
	}
	_, body = b.Get("/?lang=fr")
	for _, want := range []string{"Par où commencer", "Derniers appels à partenariat ouverts", "Organisations hébergées ici : 1", "Suivre depuis le fédivers"} {
		if !strings.Contains(body, want) {
			t.Errorf("French home page lacks %q", want)
		}
	}

	// The instance's own summary, once edited, replaces the page's words.
	inst, err := in.Server.Service.Org(t.Context(), model.InstanceName)
	if err != nil {
		t.Fatal(err)
	}
	p := inst.Profile
	p.DisplayName, p.Summary = "Réseau coopératif du Vercors", "Les coopératives du Vercors et leurs partenaires."
	if _, err := in.Server.Service.UpdateProfile(t.Context(), service.System("test"), model.InstanceName, service.ProfileInput{Profile: p}); err != nil {
		t.Fatal(err)
	}
	_, body = b.Get("/")
	if !strings.Contains(body, "<h1>Réseau coopératif du Vercors</h1>") || !strings.Contains(body, "Les coopératives du Vercors et leurs partenaires.") ||
		strings.Contains(body, "A maillage instance:") {
		t.Errorf("home page after editing the instance's profile:\n%s", body)
	}
}
