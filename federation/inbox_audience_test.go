package federation_test

import (
	"context"
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/matching"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// audienceFixtures are Mastodon's Create of a Note for each visibility
// (testdata/README.md), with the audience each must be stored with.
var audienceFixtures = []struct {
	file string
	want model.Audience
}{
	{"create_note_public.json", model.AudiencePublic},
	{"create_note_unlisted.json", model.AudienceUnlisted},
	{"create_note_followers.json", model.AudienceFollowers},
	{"create_note_direct.json", model.AudienceDirect},
}

// asCall turns a fixture's Note into a call with maillage's vocabulary,
// keeping its addressing; title names it in pages and exports.
func asCall(t *testing.T, body []byte, suffix, title string) []byte {
	t.Helper()
	return edit(t, body, func(m map[string]any) {
		m["id"] = m["id"].(string) + suffix
		o := object(m)
		o["id"] = o["id"].(string) + suffix
		o["kind"], o["title"], o["pitch"], o["status"] = "call", title, "A partner for "+title, "open"
		o["sector"], o["partnerRole"] = []any{"energy"}, []any{"funder"}
		o["deadline"] = time.Now().Add(30 * 24 * time.Hour).UTC().Format(time.RFC3339)
		o["location"] = map[string]any{"type": "Place", "name": "Lyon", "country": "FR", "latitude": 45.76, "longitude": 4.84}
	})
}

// TestInboxAudience checks that every received object keeps the audience
// its to/cc give, as Mastodon classifies them, and that a direct object
// keeps its local recipients.
func TestInboxAudience(t *testing.T) {
	e := newInboxEnv(t)
	a := e.remote.addActor(t, "mastodon", "Gargron", nil, keyInActor)
	e.followAccepted(t, a)
	for _, f := range audienceFixtures {
		body := e.fixture(t, a, f.file, nil)
		e.mustPost(t, e.sharedInbox, a, body, http.StatusAccepted)
		id := field(t, body, "object", "id")
		o, ok := e.object(t, id)
		if !ok {
			t.Fatalf("%s: object %s not stored", f.file, id)
		}
		if o.Audience != f.want {
			t.Errorf("%s: audience %q, want %q", f.file, o.Audience, f.want)
		}
		wantAddressed := []string(nil)
		if f.want == model.AudienceDirect {
			wantAddressed = []string{e.org}
		}
		if !slices.Equal(o.Addressed, wantAddressed) {
			t.Errorf("%s: addressed %v, want %v", f.file, o.Addressed, wantAddressed)
		}
	}
}

// member creates an account whose Person actor follows a (accepted) when
// follow is set, with interests in the energy sector, and returns its
// actor IRI.
func (e *inboxEnv) member(t *testing.T, name string, a *remoteActor, follow bool) string {
	t.Helper()
	ctx := context.Background()
	svc := e.local.Server.Service
	if _, err := svc.CreateAccount(ctx, service.System("test"), name, "correct horse battery staple", service.RoleMember, nil); err != nil {
		t.Fatalf("create account %s: %v", name, err)
	}
	if err := svc.SetInterests(ctx, service.System("test"), name, matching.Interests{Sectors: []string{"energy"}}); err != nil {
		t.Fatalf("interests of %s: %v", name, err)
	}
	iri := e.local.Base + "/members/" + name
	if !follow {
		return iri
	}
	f, err := svc.Follow(ctx, service.System("test"), model.PersonName(name), a.ID)
	if err != nil {
		t.Fatalf("follow %s as %s: %v", a.ID, name, err)
	}
	accept := e.fixture(t, a, "accept_follow.json", map[string]string{"{{LOCAL_ORG}}": iri, "{{LOCAL_FOLLOW_ID}}": f.FollowID})
	accept = edit(t, accept, func(m map[string]any) { m["id"] = m["id"].(string) + "-" + name }) // not coop's Accept again
	e.mustPost(t, e.sharedInbox, a, accept, http.StatusAccepted)
	list, err := svc.FollowingList(ctx, model.PersonName(name))
	if err != nil || len(list) != 1 || list[0].State != model.FollowAccepted {
		t.Fatalf("follows of %s: %+v, %v; want one accepted follow of %s", name, list, err, a.ID)
	}
	return iri
}

// home lists the ids in username's home feed.
func (e *inboxEnv) home(t *testing.T, username string) []string {
	t.Helper()
	feed, err := e.local.Server.Service.Home(context.Background(), service.System("test"), username, service.HomeFilter{}, time.Now())
	if err != nil {
		t.Fatalf("home of %s: %v", username, err)
	}
	var ids []string
	for _, it := range feed.Items {
		ids = append(ids, it.ID)
	}
	return ids
}

// notified lists the calls username was notified of.
func (e *inboxEnv) notified(t *testing.T, username string) []string {
	t.Helper()
	ns, err := e.local.Server.Service.Notices(context.Background(), service.System("test"), username, 0)
	if err != nil {
		t.Fatalf("notices of %s: %v", username, err)
	}
	var ids []string
	for _, n := range ns {
		ids = append(ids, n.Call.ID)
	}
	return ids
}

// TestAudienceVisibility posts Mastodon's Note of each visibility, and a
// maillage call with the same addressing, and checks where each shows:
// only public ones in the directory, its feeds and exports; public,
// unlisted and followers-only ones for a member who follows the author;
// direct ones only for the member they address.
func TestAudienceVisibility(t *testing.T) {
	e := newInboxEnv(t)
	a := e.remote.addActor(t, "mastodon", "Gargron", nil, keyInActor)
	e.followAccepted(t, a)
	alice := e.member(t, "alice", a, true) // follows the author
	e.member(t, "bob", a, false)           // does not

	type posted struct {
		aud          model.Audience
		note, call   string
		title        string
		visibleAlice bool
	}
	var all []posted
	for _, f := range audienceFixtures {
		body := e.fixture(t, a, f.file, nil)
		title := "Tools call " + string(f.want)
		call := asCall(t, body, "-call", title)
		e.mustPost(t, e.sharedInbox, a, body, http.StatusAccepted)
		e.mustPost(t, e.sharedInbox, a, call, http.StatusAccepted)
		all = append(all, posted{aud: f.want, note: field(t, body, "object", "id"), call: field(t, call, "object", "id"),
			title: title, visibleAlice: f.want != model.AudienceDirect})
	}
	// The same direct Note, addressed to alice's Person actor instead.
	toAlice := edit(t, e.fixture(t, a, "create_note_direct.json", map[string]string{"{{LOCAL_ORG}}": alice}), func(m map[string]any) {
		m["id"] = m["id"].(string) + "-alice"
		object(m)["id"] = object(m)["id"].(string) + "-alice"
	})
	e.mustPost(t, e.sharedInbox, a, toAlice, http.StatusAccepted)
	toAliceID := field(t, toAlice, "object", "id")

	for _, p := range all {
		for _, id := range []string{p.note, p.call} {
			if o, ok := e.object(t, id); !ok || o.Audience != p.aud {
				t.Errorf("object %s: stored %v, audience %q, want %q", id, ok, o.Audience, p.aud)
			}
		}
	}

	t.Run("directory, feeds and exports", func(t *testing.T) {
		for _, path := range []string{"/directory", "/directory.json", "/directory.csv", "/directory.geojson",
			"/directory/calls.atom", "/directory/deadlines.ics", "/sectors/energy", "/directory?q=tools"} {
			status, body := e.local.Get(e.local.Base+path, "*/*")
			if status != http.StatusOK {
				t.Fatalf("GET %s: status %d", path, status)
			}
			for _, p := range all {
				listed := strings.Contains(string(body), p.title)
				if want := p.aud == model.AudiencePublic; listed != want {
					t.Errorf("GET %s: lists the %s call = %v, want %v", path, p.aud, listed, want)
				}
			}
		}
	})

	t.Run("home feeds", func(t *testing.T) {
		got := e.home(t, "alice")
		for _, p := range all {
			for _, id := range []string{p.note, p.call} {
				if in := slices.Contains(got, id); in != p.visibleAlice {
					t.Errorf("alice (follows the author): %s %s in home = %v, want %v", p.aud, id, in, p.visibleAlice)
				}
			}
		}
		if !slices.Contains(got, toAliceID) {
			t.Errorf("alice: the direct Note addressed to her is not in her home feed")
		}
		for _, id := range e.home(t, "bob") {
			if o, _ := e.object(t, id); !o.IsPublic() {
				t.Errorf("bob (does not follow the author): %s %s in home", o.Audience, id)
			}
		}
	})

	t.Run("notifications", func(t *testing.T) {
		gotAlice, gotBob := e.notified(t, "alice"), e.notified(t, "bob")
		for _, p := range all {
			if in := slices.Contains(gotAlice, p.call); in != p.visibleAlice {
				t.Errorf("alice notified of the %s call = %v, want %v", p.aud, in, p.visibleAlice)
			}
			if in, want := slices.Contains(gotBob, p.call), p.aud == model.AudiencePublic; in != want {
				t.Errorf("bob notified of the %s call = %v, want %v", p.aud, in, want)
			}
		}
	})

	t.Run("update to followers-only", func(t *testing.T) {
		pub := all[0]
		if pub.aud != model.AudiencePublic {
			t.Fatal("the first fixture is not the public one")
		}
		followers := a.ID + "/followers"
		update := edit(t, asCall(t, e.fixture(t, a, "create_note_public.json", nil), "-call", pub.title), func(m map[string]any) {
			m["type"], m["id"] = "Update", object(m)["id"].(string)+"#updates/1786181000"
			m["to"], m["cc"] = []any{followers}, []any{}
			o := object(m)
			o["to"], o["cc"] = []any{followers}, []any{}
			o["updated"] = "2026-08-08T09:23:20Z"
		})
		e.mustPost(t, e.sharedInbox, a, update, http.StatusAccepted)
		if o, _ := e.object(t, pub.call); o.Audience != model.AudienceFollowers {
			t.Fatalf("after the Update: audience %q, want %q", o.Audience, model.AudienceFollowers)
		}
		for _, path := range []string{"/directory.json", "/directory/calls.atom"} {
			if _, body := e.local.Get(e.local.Base+path, "*/*"); strings.Contains(string(body), pub.title) {
				t.Errorf("GET %s still lists the call made followers-only", path)
			}
		}
		if !slices.Contains(e.home(t, "alice"), pub.call) {
			t.Errorf("alice, a follower, no longer sees the call made followers-only")
		}
		if slices.Contains(e.notified(t, "bob"), pub.call) {
			t.Errorf("bob, not a follower, still sees the notification of the call made followers-only")
		}
	})
}

// TestBackfillAudience serves an outbox holding a public and a
// followers-only call: backfill keeps each audience, and only the public
// call enters the directory.
func TestBackfillAudience(t *testing.T) {
	e := newInboxEnv(t)
	a := e.remote.addActor(t, "mastodon", "Gargron", nil, keyInActor)
	public := asCall(t, e.fixture(t, a, "create_note_public.json", nil), "-call", "Backfilled public call")
	followers := asCall(t, e.fixture(t, a, "create_note_followers.json", nil), "-call", "Backfilled followers call")
	var items []any
	for _, body := range [][]byte{followers, public} { // newest first, as an outbox lists them
		var m map[string]any
		if err := json.Unmarshal(body, &m); err != nil {
			t.Fatal(err)
		}
		delete(m, "@context")
		delete(m, "signature")
		items = append(items, m)
	}
	outbox := a.ID + "/outbox"
	e.remote.setDoc(strings.TrimPrefix(outbox, e.remote.Base), mustJSON(t, map[string]any{
		"@context": "https://www.w3.org/ns/activitystreams", "id": outbox, "type": "OrderedCollection",
		"totalItems": len(items), "first": map[string]any{"id": outbox + "?page=true", "type": "OrderedCollectionPage",
			"partOf": outbox, "orderedItems": items}}))
	e.followAccepted(t, a)

	want := map[string]model.Audience{field(t, public, "object", "id"): model.AudiencePublic,
		field(t, followers, "object", "id"): model.AudienceFollowers}
	testenv.WaitFor(t, waitTimeout, "backfilled calls", func() bool {
		for id := range want {
			if _, ok := e.object(t, id); !ok {
				return false
			}
		}
		return true
	})
	for id, aud := range want {
		if o, _ := e.object(t, id); o.Audience != aud {
			t.Errorf("backfilled %s: audience %q, want %q", id, o.Audience, aud)
		}
	}
	_, body := e.local.Get(e.local.Base+"/directory.json", "*/*")
	if !strings.Contains(string(body), "Backfilled public call") || strings.Contains(string(body), "Backfilled followers call") {
		t.Errorf("directory after backfill: want the public call only, got %s", body)
	}
}

// TestAnnouncedAudience relays a followers-only and a public call through
// a followed instance actor's Announce: the embedded Create is classified
// as if delivered, and only the public call is listed.
func TestAnnouncedAudience(t *testing.T) {
	e := newInboxEnv(t)
	author := e.remote.addActor(t, "mastodon", "Gargron", nil, keyInActor)
	inst := e.remote.addActor(t, "mastodon", "relay", nil, keyInActor)
	path := strings.TrimPrefix(inst.ID, e.remote.Base)
	var doc map[string]any
	e.remote.mu.Lock()
	raw := e.remote.docs[path]
	e.remote.mu.Unlock()
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	doc["type"] = "Application" // the instance actor of the author's server
	e.remote.setDoc(path, mustJSON(t, doc))
	e.followAccepted(t, inst)

	titles := map[string]model.Audience{"Relayed public call": model.AudiencePublic, "Relayed followers call": model.AudienceFollowers}
	fixtures := map[string]string{"Relayed public call": "create_note_public.json", "Relayed followers call": "create_note_followers.json"}
	for title, aud := range titles {
		create := asCall(t, e.fixture(t, author, fixtures[title], nil), "-relayed", title)
		var inner map[string]any
		if err := json.Unmarshal(create, &inner); err != nil {
			t.Fatal(err)
		}
		delete(inner, "@context")
		delete(inner, "signature")
		announce := mustJSON(t, map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
			"id": inst.ID + "/announces/" + string(aud), "type": "Announce", "actor": inst.ID,
			"to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "object": inner})
		e.mustPost(t, e.sharedInbox, inst, announce, http.StatusAccepted)
		id := object(inner)["id"].(string)
		if o, ok := e.object(t, id); !ok || o.Audience != aud {
			t.Errorf("relayed %s: stored %v, audience %q, want %q", title, ok, o.Audience, aud)
		}
	}
	_, body := e.local.Get(e.local.Base+"/directory.json", "*/*")
	if !strings.Contains(string(body), "Relayed public call") || strings.Contains(string(body), "Relayed followers call") {
		t.Errorf("directory: want the relayed public call only, got %s", body)
	}
}
