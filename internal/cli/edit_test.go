package cli_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// A call with every editable field set, published through the service so
// it holds fields the CLI has no flag for (translations, eligible
// countries, how to respond).
func fullCall(t *testing.T, in *testenv.Instance) model.Object {
	t.Helper()
	lat, lon := 45.19, 5.72
	o, err := in.Server.Service.Publish(context.Background(), service.TokenPrincipal(), "coop", service.ObjectInput{
		Kind: model.KindCall, Title: "Looking for pilot territories",
		Summary: "Two rural territories to pilot cooperative car-sharing.", Text: "What we bring, what we ask.",
		Sectors: []string{"mobility", "energy"}, PartnerRoles: []string{"pilot-territory", "co-investor"},
		Deadline: service.Time(time.Date(2031, 3, 15, 0, 0, 0, 0, time.UTC)),
		Location: &model.Place{Name: "Grenoble", Country: "FR", Latitude: &lat, Longitude: &lon},
		Lang:     "en", Translations: map[string]model.Translation{"fr": {Title: "Territoires pilotes"}},
		EligibleCountries: []string{"FR", "BE"}, HowToRespond: "Write to us.", FundingProgramme: "LIFE",
	})
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func object(t *testing.T, in *testenv.Instance, id string) model.Object {
	t.Helper()
	o, err := in.Server.Service.Object(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return o
}

// TestEditKeepsOtherFields: `maillage edit -title` changes the title and
// nothing else (it used to fail for want of -sectors, and with -sectors
// erase the summary, text, roles, deadline and place).
func TestEditKeepsOtherFields(t *testing.T) {
	a := testenv.Start(t, "127.0.0.15", testenv.Options{})
	before := fullCall(t, a)

	if out := mustRun(t, a, "edit", "-id", before.ID, "-title", "Looking for three territories"); out != before.ID {
		t.Errorf("edit printed %q, want %q", out, before.ID)
	}
	after := object(t, a, before.ID)
	if after.Title != "Looking for three territories" {
		t.Errorf("title = %q", after.Title)
	}
	if !after.Updated.After(before.Updated) {
		t.Errorf("updated %v not after %v", after.Updated, before.Updated)
	}
	want := before
	want.Title, want.Updated = after.Title, after.Updated
	if !reflect.DeepEqual(after, want) {
		t.Errorf("edit -title changed other fields:\n got %+v\nwant %+v", after, want)
	}

	// Each flag changes its own field only; the place flags patch the
	// location's fields; an empty date clears it.
	mustRun(t, a, "edit", "-id", before.ID, "-sectors", "energy", "-place", "Voiron", "-deadline", "2031-04-01")
	got := object(t, a, before.ID)
	want = after
	want.Sectors, want.Updated = []string{"energy"}, got.Updated
	loc := *after.Location
	loc.Name = "Voiron"
	want.Location = &loc
	d := time.Date(2031, 4, 1, 0, 0, 0, 0, time.UTC)
	want.Deadline = &d
	if !reflect.DeepEqual(got, want) {
		t.Errorf("edit -sectors -place -deadline:\n got %+v\nwant %+v", got, want)
	}
	mustRun(t, a, "edit", "-id", before.ID, "-roles", "co-investor", "-deadline", "")
	if got := object(t, a, before.ID); got.Deadline != nil || !reflect.DeepEqual(got.PartnerRoles, []string{"co-investor"}) || got.Summary != before.Summary {
		t.Errorf("after -roles -deadline '': %+v", got)
	}

	// Refused edits change nothing.
	last := object(t, a, before.ID)
	for _, args := range [][]string{
		{"-title", ""},          // 422: a title is required
		{"-sectors", "a,b,c,d"}, // 422
		{"-kind", "project"},    // 422: the kind is fixed
		{"-deadline", "soon"},   // refused by the CLI
		{"-lat", "north"},       // refused by the CLI
		{},                      // nothing to change
	} {
		if _, err := run(t, a, append([]string{"edit", "-id", before.ID}, args...)...); err == nil {
			t.Errorf("edit %v succeeded", args)
		}
	}
	if got := object(t, a, before.ID); !reflect.DeepEqual(got, last) {
		t.Errorf("a refused edit changed the call:\n got %+v\nwant %+v", got, last)
	}
}

// TestFlagsAfterPositionals: every command with a positional argument
// takes its flags after it too, as the README writes them.
func TestFlagsAfterPositionals(t *testing.T) {
	a := testenv.Start(t, "127.0.0.16", testenv.Options{})
	b := testenv.Start(t, "127.0.0.17", testenv.Options{})

	// org-create, with the README's own example.
	mustRun(t, a, "org-create", "second", "-display-name", "Second coop", "-country", "BE", "-sectors", "energy")
	org, err := a.Server.Service.Org(context.Background(), "second")
	if err != nil || org.DisplayName != "Second coop" || org.Country != "BE" || !reflect.DeepEqual(org.Sectors, []string{"energy"}) {
		t.Errorf("org-create second -display-name …: %+v, %v", org, err)
	}

	// follow and unfollow: the flag after the handle picks the organisation.
	mustRun(t, b, "follow", a.Handle("coop"), "-org", "coop")
	testenv.WaitFor(t, 20*time.Second, "B's follow accepted", func() bool {
		return strings.Contains(mustRun(t, b, "following", "-org", "coop"), `"state": "accepted"`)
	})
	mustRun(t, b, "unfollow", a.Handle("coop"), "-org", "coop")
	if out := mustRun(t, b, "following", "-org", "coop"); strings.Contains(out, a.Actor("coop")) {
		t.Errorf("following after unfollow = %s", out)
	}

	// block and unblock take the client flags after the target.
	mustRun(t, a, "block", "spam.example", "-url", a.Base)
	if out := mustRun(t, a, "blocks"); !strings.Contains(out, "spam.example") {
		t.Errorf("blocks = %s", out)
	}
	mustRun(t, a, "unblock", "spam.example", "-url", a.Base)
	if out := mustRun(t, a, "blocks"); out != "[]" {
		t.Errorf("blocks after unblock = %s", out)
	}

	// report: the comment after the actor.
	mustRun(t, b, "report", a.Handle("coop"), "-comment", "Not a cooperative.")
	if out := mustRun(t, b, "reports"); !strings.Contains(out, "Not a cooperative.") {
		t.Errorf("reports = %s", out)
	}

	// A stray argument to a command without positionals, or a second one,
	// is a usage error, not ignored.
	for _, args := range [][]string{
		{"org-create", "third", "fourth", "-country", "BE"},
		{"follow", "x@y.example", "z@y.example"},
		{"orgs", "extra"},
		{"edit", "extra", "-title", "X"},
	} {
		if _, err := run(t, a, args...); err == nil {
			t.Errorf("maillage %v succeeded", args)
		}
	}
}
