package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
)

const asAccept = "application/activity+json"

func getJSON(t *testing.T, in *testenv.Instance, u, accept string, wantStatus int) map[string]any {
	t.Helper()
	status, body := in.Get(u, accept)
	if status != wantStatus {
		t.Fatalf("GET %s: status %d, want %d; body %s", u, status, wantStatus, body)
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatalf("GET %s: %v in %s", u, err, body)
	}
	return m
}

func TestWebFinger(t *testing.T) {
	in := testenv.Start(t, "127.0.0.8", testenv.Options{})
	wf := in.Base + "/.well-known/webfinger?resource="
	for _, res := range []string{"acct:coop@" + in.Host, in.Actor("coop")} {
		m := getJSON(t, in, wf+url.QueryEscape(res), "application/jrd+json", http.StatusOK)
		if m["subject"] != "acct:coop@"+in.Host {
			t.Errorf("%s: subject %v", res, m["subject"])
		}
		self := false
		for _, l := range m["links"].([]any) {
			lm := l.(map[string]any)
			if lm["rel"] == "self" && lm["type"] == "application/activity+json" && lm["href"] == in.Actor("coop") {
				self = true
			}
		}
		if !self {
			t.Errorf("%s: no self link of type exactly application/activity+json: %v", res, m["links"])
		}
	}
	// FEP-d556: the base URL resolves to the instance actor.
	m := getJSON(t, in, wf+url.QueryEscape(in.Base+"/"), "application/jrd+json", http.StatusOK)
	if m["subject"] != "acct:instance@"+in.Host {
		t.Errorf("base URL subject = %v", m["subject"])
	}
	for _, tc := range []struct {
		res    string
		status int
	}{{"acct:nobody@" + in.Host, 404}, {"acct:coop@other.example", 404}, {"", 400}} {
		if s, _ := in.Get(wf+url.QueryEscape(tc.res), "application/jrd+json"); s != tc.status {
			t.Errorf("resource %q: status %d, want %d", tc.res, s, tc.status)
		}
	}
	if s, body := in.Get(in.Base+"/.well-known/host-meta", "application/xrd+xml"); s != 200 || !strings.Contains(string(body), "/.well-known/webfinger?resource={uri}") {
		t.Errorf("host-meta: %d %s", s, body)
	}
}

func TestNodeInfo(t *testing.T) {
	in := testenv.Start(t, "127.0.0.8", testenv.Options{})
	publish(t, in, "coop", projectInput())
	idx := getJSON(t, in, in.Base+"/.well-known/nodeinfo", "application/json", http.StatusOK)
	rels := map[string]string{}
	for _, l := range idx["links"].([]any) {
		lm := l.(map[string]any)
		rels[lm["rel"].(string)] = lm["href"].(string)
	}
	if rels["https://www.w3.org/ns/activitystreams#Application"] != in.Actor("instance") {
		t.Errorf("no FEP-2677 instance actor link: %v", rels)
	}
	// GoToSocial takes the last schema link and reads only 2.0.
	var lastSchema string
	for _, l := range idx["links"].([]any) {
		if rel := l.(map[string]any)["rel"].(string); strings.Contains(rel, "nodeinfo.diaspora.software/ns/schema/") {
			lastSchema = rel
		}
	}
	if !strings.HasSuffix(lastSchema, "/2.0") {
		t.Errorf("last nodeinfo schema link is %s, want 2.0", lastSchema)
	}
	for _, v := range []string{"2.0", "2.1"} {
		href := rels["http://nodeinfo.diaspora.software/ns/schema/"+v]
		ni := getJSON(t, in, href, "application/json", http.StatusOK)
		sw := ni["software"].(map[string]any)
		usage := ni["usage"].(map[string]any)
		if ni["version"] != v || sw["name"] != "maillage" || usage["localPosts"] != 1.0 || usage["users"].(map[string]any)["total"] != 1.0 {
			t.Errorf("nodeinfo %s = %v", v, ni)
		}
	}
}

func TestActorDocument(t *testing.T) {
	in := testenv.Start(t, "127.0.0.8", testenv.Options{})
	profile := map[string]any{"display_name": "Coop A", "summary": "Cooperative <b>mobility</b>", "website": "https://coop-a.example",
		"country": "FR", "sectors": []string{"mobility"}, "legal_form": "fr-scic", "legal_form_text": "SCIC SA"}
	if s := in.API("PUT", "/api/v1/orgs/coop", profile, nil); s != 200 {
		t.Fatalf("update profile: %d", s)
	}
	for _, accept := range []string{asAccept, `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`} {
		a := getJSON(t, in, in.Actor("coop"), accept, http.StatusOK)
		key := a["publicKey"].(map[string]any)
		checks := []struct {
			name string
			ok   bool
		}{
			{"type Organization", a["type"] == "Organization"},
			{"id", a["id"] == in.Actor("coop")},
			{"preferredUsername", a["preferredUsername"] == "coop"},
			{"inbox", a["inbox"] == in.Actor("coop")+"/inbox"},
			{"shared inbox", a["endpoints"].(map[string]any)["sharedInbox"] == in.Base+"/inbox"},
			{"key owner", key["owner"] == in.Actor("coop") && key["id"] == in.Actor("coop")+"#main-key"},
			{"key PEM", strings.HasPrefix(key["publicKeyPem"].(string), "-----BEGIN PUBLIC KEY-----")},
			{"attachment array", len(a["attachment"].([]any)) == 4},
			{"discoverable", a["discoverable"] == true && a["manuallyApprovesFollowers"] == false},
			{"summary escaped", strings.Contains(a["summary"].(string), "&lt;b&gt;")},
			{"country", a["country"] == "FR"},
		}
		for _, c := range checks {
			if !c.ok {
				t.Errorf("Accept %s: actor %s wrong: %v", accept, c.name, a)
			}
		}
	}
	if a := getJSON(t, in, in.Actor("coop"), asAccept, http.StatusOK); a["featured"] != in.Actor("coop")+"/featured" {
		t.Errorf("featured = %v", a["featured"])
	} else if f := getJSON(t, in, in.Actor("coop")+"/featured", asAccept, http.StatusOK); f["type"] != "OrderedCollection" {
		t.Errorf("featured collection = %v", f)
	}
	inst := getJSON(t, in, in.Actor("instance"), asAccept, http.StatusOK)
	if inst["type"] != "Application" || inst["preferredUsername"] != "instance" {
		t.Errorf("instance actor = %v", inst)
	}
	// The same URL is a page for browsers.
	status, body := in.Get(in.Actor("coop"), "text/html,application/xhtml+xml")
	if status != 200 || !strings.Contains(string(body), "<h1>Coop A</h1>") || !strings.Contains(string(body), "@coop@"+in.Host) {
		t.Errorf("profile page: %d %s", status, body)
	}
}

func TestObjectDocument(t *testing.T) {
	in := testenv.Start(t, "127.0.0.8", testenv.Options{})
	call := publish(t, in, "coop", callInput())
	n := getJSON(t, in, call.ID, asAccept, http.StatusOK)
	if n["type"] != "Note" {
		t.Errorf("type = %v, want Note (Mastodon shows only Note in full)", n["type"])
	}
	for _, k := range []string{"name", "summary"} {
		if _, ok := n[k]; ok {
			t.Errorf("has %q: GoToSocial would show it as a content warning", k)
		}
	}
	content := n["content"].(string)
	for _, want := range []string{"<strong>EXAMPLE: Looking for pilot territories</strong>", "answer by 15 March 2027", `rel="tag"`, call.ID} {
		if !strings.Contains(content, want) {
			t.Errorf("content lacks %q: %s", want, content)
		}
	}
	tags := n["tag"].([]any)
	if len(tags) != 1 || tags[0].(map[string]any)["type"] != "Hashtag" || tags[0].(map[string]any)["name"] != "#mobility" {
		t.Errorf("tag = %v", tags)
	}
	if to := n["to"].([]any); len(to) != 1 || to[0] != "https://www.w3.org/ns/activitystreams#Public" {
		t.Errorf("to = %v", to)
	}
	if n["kind"] != "call" || n["deadline"] != "2027-03-15T23:59:00Z" || n["sensitive"] != false {
		t.Errorf("extension fields: %v", n)
	}
	ctx := n["@context"].([]any)
	if ctx[0] != "https://www.w3.org/ns/activitystreams" || ctx[2].(map[string]any)["mai"] != "https://w3id.org/maillage/ns#" {
		t.Errorf("@context = %v", ctx)
	}
	status, body := in.Get(call.ID, "text/html")
	if status != 200 || !strings.Contains(string(body), `property="og:title"`) {
		t.Errorf("call page: %d %s", status, body)
	}

	// Outbox lists the Create; the object's replies collection exists.
	ob := getJSON(t, in, in.Actor("coop")+"/outbox", asAccept, http.StatusOK)
	if ob["type"] != "OrderedCollection" || ob["totalItems"] != 1.0 {
		t.Errorf("outbox = %v", ob)
	}
	page := getJSON(t, in, in.Actor("coop")+"/outbox?page=1", asAccept, http.StatusOK)
	items := page["orderedItems"].([]any)
	if len(items) != 1 || items[0].(map[string]any)["type"] != "Create" {
		t.Errorf("outbox page = %v", page)
	}
	getJSON(t, in, call.ID+"/replies", asAccept, http.StatusOK)

	if s := in.API("DELETE", apiPath(in, call.ID), nil, nil); s != http.StatusNoContent {
		t.Fatalf("delete: %d", s)
	}
	gone := getJSON(t, in, call.ID, asAccept, http.StatusGone)
	if gone["type"] != "Tombstone" {
		t.Errorf("deleted object = %v", gone)
	}
	if s, _ := in.Get(in.Base+"/orgs/coop/calls/doesnotexist", asAccept); s != http.StatusNotFound {
		t.Errorf("unknown object: %d", s)
	}
}

func TestAdminAPIAuth(t *testing.T) {
	in := testenv.Start(t, "127.0.0.8", testenv.Options{})
	good := in.Token
	for _, tok := range []string{"", "wrong", good + "x"} {
		in.Token = tok
		if s := in.API("GET", "/api/v1/orgs", nil, nil); s != http.StatusUnauthorized {
			t.Errorf("token %q: status %d, want 401", tok, s)
		}
		if s := in.API("POST", "/api/v1/orgs/coop/objects", callInput(), nil); s != http.StatusUnauthorized {
			t.Errorf("token %q: publish status %d, want 401", tok, s)
		}
	}
	in.Token = good
	var orgs []map[string]any
	if s := in.API("GET", "/api/v1/orgs", nil, &orgs); s != 200 || len(orgs) != 1 {
		t.Fatalf("orgs: %d %v", s, orgs)
	}
	if _, leaked := orgs[0]["private_key_pem"]; leaked {
		t.Errorf("API shows the private key")
	}
	var e struct{ Fields map[string]string }
	req := map[string]any{"kind": "call", "title": "", "sectors": []string{"astrology"}}
	if s := in.API("POST", "/api/v1/orgs/coop/objects", req, &e); s != http.StatusUnprocessableEntity {
		t.Errorf("invalid call: status %d, want 422", s)
	}
	if e.Fields["title"] == "" || e.Fields["sectors"] == "" {
		t.Errorf("field errors = %v, want title and sectors", e.Fields)
	}
	if s := in.API("POST", "/api/v1/orgs/coop/objects", map[string]any{"kind": "call", "bogus": 1}, nil); s != http.StatusBadRequest {
		t.Errorf("unknown field: status %d, want 400", s)
	}
	if s := in.API("POST", "/api/v1/orgs/coop/objects", map[string]any{"kind": "call", "text": strings.Repeat("x", 300<<10)}, nil); s != http.StatusRequestEntityTooLarge {
		t.Errorf("oversized body: status %d, want 413", s)
	}
	var objs []model.Object
	in.API("GET", "/api/v1/orgs/coop/objects", nil, &objs)
	if len(objs) != 0 {
		t.Errorf("invalid call stored: %v", objs)
	}
}

// TestLocalReplyShown: an organisation's answer to another organisation of
// the same instance shows on the call's public page, and /sectors/ links
// lead to the directory filtered on that sector.
func TestLocalReplyShown(t *testing.T) {
	in := testenv.Start(t, "127.0.0.17", testenv.Options{})
	call := publish(t, in, "coop", callInput())
	if s := in.API("POST", "/api/v1/orgs", map[string]any{"name": "second", "display_name": "Second coop"}, nil); s != http.StatusCreated {
		t.Fatalf("create org: %d", s)
	}
	if s := in.API("POST", "/api/v1/orgs/second/replies", map[string]string{"in_reply_to": call.ID, "text": "We can <help> & pilot."}, nil); s != http.StatusCreated {
		t.Fatalf("reply: %d", s)
	}
	status, body := in.Get(call.ID, "text/html")
	if status != 200 || !strings.Contains(string(body), "We can &lt;help&gt; &amp; pilot.") || !strings.Contains(string(body), "@second@"+in.Host) {
		t.Errorf("call page (%d) lacks the escaped local reply: %s", status, body)
	}
	req, _ := http.NewRequest("GET", in.Base+"/sectors/mobility", nil)
	resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/directory?sector=mobility" {
		t.Errorf("/sectors/mobility: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}

// TestMastodonInstanceProbe: the Mastodon instance API that other servers
// probe is answered 404, not the admin API's 401.
func TestMastodonInstanceProbe(t *testing.T) {
	in := testenv.Start(t, "127.0.0.18", testenv.Options{})
	if s, _ := in.Get(in.Base+"/api/v1/instance", "application/json"); s != http.StatusNotFound {
		t.Errorf("/api/v1/instance: %d, want 404", s)
	}
	in.Token = ""
	if s := in.API("GET", "/api/v1/orgs", nil, nil); s != http.StatusUnauthorized {
		t.Errorf("admin API without token: %d, want 401", s)
	}
}
