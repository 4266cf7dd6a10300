package web_test

import (
	"bytes"
	"context"
	"crypto/rsa"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
	"codeberg.org/maillage/maillage/store"
)

// hostileMarks must never reach a page, feed or the directory JSON.
var hostileMarks = []string{"<script", "javascript:", "onclick", "onerror", "onmouseover", "astrology"}

// TestHostileRemoteDirectory follows a fake maillage-like organisation that
// sends hostile profiles and calls, and checks what the directory keeps
// and shows: invalid objects are dropped, valid ones sanitised, invalid
// profile fields dropped one by one while the actor stays usable.
func TestHostileRemoteDirectory(t *testing.T) {
	in := testenv.Start(t, "127.0.0.43", testenv.Options{})
	evil := startEvilRemote(t, "127.0.0.44")
	now := time.Now().UTC().Truncate(time.Second)

	// (a) The actor document the instance fetches when coop follows it.
	evil.setActor(t, map[string]any{
		"name":       "<script>alert(1)</script>Evil",
		"summary":    `<p>Click <a href="javascript:alert(1)">here</a><span onclick="steal()">!</span></p>`,
		"url":        "javascript:alert(1)",
		"website":    "javascript:alert(1)",
		"contactUrl": "javascript:alert(2)",
		"icon":       map[string]any{"type": "Image", "url": "javascript:alert(3)"},
		"location":   map[string]any{"type": "Place", "name": "<b>Nowhere</b>", "latitude": 999.0, "longitude": 5.0},
		"sector":     []any{"astrology"},
		"legalName":  strings.Repeat("L", 5000),
		"legalForm":  "fr-scic",
		"country":    "FR",
	})
	// Backfill reads the outbox once the follow is accepted: oldest item
	// last. The invalid call comes first, so once the valid one is stored
	// the invalid one was already refused.
	evil.setOutbox(t, now, []map[string]any{
		evil.call(now, "backfilled", map[string]any{"title": "Backfilled <script>alert(1)</script>call",
			"content": `<p onclick="x()">From the outbox</p><script>alert(1)</script>`}),
		evil.call(now, "backfilled-invalid", map[string]any{"sector": []any{"astrology"}}),
	})
	evil.followedBy(t, in, "coop")

	a := storedActor(t, in, evil.id)
	if a.Profile == nil {
		t.Fatalf("the hostile actor has no profile: %+v", a)
	}
	p := *a.Profile
	if p.DisplayName != "Evil" || p.Website != "" || p.ContactURL != "" || p.IconURL != "" || p.Location != nil ||
		p.Sectors != nil || p.LegalName != "" || p.LegalForm != "fr-scic" || p.Country != "FR" {
		t.Errorf("stored profile = %+v, want name Evil, no website, contact URL, icon, location, sectors or legal name; legal form and country kept", p)
	}
	org := remoteOrgEntry(t, in, evil)
	if org.Title != "Evil" || org.URL != evil.id || org.Website != "" || org.Lat != nil || org.Lon != nil ||
		len(org.Sectors) != 0 || org.Summary != "Click here!" || org.Local || org.Source != evil.host {
		t.Errorf("directory entry of the hostile actor = %+v", org)
	}

	// (a) An Update{Organization}: invalid fields dropped, valid ones kept.
	update := evil.actorDoc(map[string]any{
		"name":      `<img src=x onerror=alert(1)>Evil Updated`,
		"summary":   `<a href="javascript:alert(1)" onclick="x()">Visit</a> us`,
		"website":   "javascript:alert(1)",
		"location":  map[string]any{"type": "Place", "name": "Lyon", "latitude": 45.76, "longitude": 999.0},
		"sector":    []any{"energy"},
		"legalName": "Evil SCIC SA",
		"legalForm": "fr-scic",
	})
	evil.mustPost(t, in.Base+"/inbox", evil.activity("Update", "update-1", update), http.StatusAccepted)
	org = remoteOrgEntry(t, in, evil)
	if org.Title != "Evil Updated" || org.Website != "" || org.Lat != nil || !slices.Equal(org.Sectors, []string{"energy"}) || org.Summary != "Visit us" {
		t.Errorf("directory entry after the Update = %+v, want title Evil Updated, sector energy, no website or position", org)
	}
	if p := storedActor(t, in, evil.id).Profile; p == nil || p.LegalName != "Evil SCIC SA" || p.Location != nil || p.Website != "" {
		t.Errorf("stored profile after the Update = %+v", p)
	}

	// (b) Creates of calls, each with its own id.
	long := func(n int) string { return strings.Repeat("x", n) }
	tests := []struct {
		name   string
		fields map[string]any // over a valid call; nil values delete the field
		status int
		stored bool
		check  func(t *testing.T, o model.Object) // of a stored call
	}{
		{"markup sanitised", map[string]any{
			"title":        `<script>alert(1)</script>Call for <b>partners</b>`,
			"pitch":        `<img src=x onerror=alert(1)>Short pitch`,
			"content":      `<p onclick="steal()">Hello <a href="javascript:alert(1)">link</a><script>alert(2)</script> <a href="` + evil.base + `/ok" onmouseover="x()">ok</a></p>`,
			"howToRespond": `<a href="javascript:alert(5)">reply</a>`,
		}, http.StatusAccepted, true, func(t *testing.T, o model.Object) {
			if o.Title != "Call for partners" || o.Summary != "Short pitch" {
				t.Errorf("title %q pitch %q, want the text without markup", o.Title, o.Summary)
			}
			for _, bad := range hostileMarks {
				if strings.Contains(o.Content, bad) {
					t.Errorf("stored content has %q: %s", bad, o.Content)
				}
			}
			if want := `href="` + evil.base + `/ok"`; !strings.Contains(o.Content, want) {
				t.Errorf("stored content lost the safe link %s: %s", want, o.Content)
			}
		}},
		{"title only a script", map[string]any{"title": "<script>alert(1)</script>"}, http.StatusAccepted, false, nil},
		{"title over 200 characters", map[string]any{"title": long(201)}, http.StatusAccepted, false, nil},
		{"pitch over 500 characters", map[string]any{"pitch": long(501)}, http.StatusAccepted, false, nil},
		{"text over 20000 characters", map[string]any{"source": map[string]any{"content": long(20001), "mediaType": "text/markdown"}}, http.StatusAccepted, false, nil},
		{"content over 64 KiB", map[string]any{"content": "<p>" + long(65<<10) + "</p>"}, http.StatusBadRequest, false, nil},
		{"latitude 999", map[string]any{"location": map[string]any{"type": "Place", "name": "Lyon", "latitude": 999.0, "longitude": 4.84}}, http.StatusAccepted, false, nil},
		// A lone coordinate is no position: the call is kept without one.
		{"latitude without longitude", map[string]any{"location": map[string]any{"type": "Place", "name": "Lyon", "latitude": 45.0}}, http.StatusAccepted, true,
			func(t *testing.T, o model.Object) {
				if o.Location == nil || o.Location.Latitude != nil || o.Location.Longitude != nil {
					t.Errorf("location %+v, want Lyon without coordinates", o.Location)
				}
			}},
		{"unknown sector", map[string]any{"sector": []any{"energy", "astrology"}}, http.StatusAccepted, false, nil},
		{"no sector", map[string]any{"sector": nil}, http.StatusAccepted, false, nil},
		{"four sectors", map[string]any{"sector": []any{"energy", "digital", "housing", "finance"}}, http.StatusAccepted, false, nil},
		{"unknown partner role", map[string]any{"partnerRole": []any{"overlord"}}, http.StatusAccepted, false, nil},
		{"unknown status", map[string]any{"status": "<b>open</b>"}, http.StatusAccepted, false, nil},
		{"country not a code", map[string]any{"location": map[string]any{"type": "Place", "name": "Lyon", "country": "France"}}, http.StatusAccepted, false, nil},
		{"attributed to another actor", map[string]any{"attributedTo": evil.base + "/orgs/other"}, http.StatusForbidden, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			id := strings.ReplaceAll(tt.name, " ", "-")
			call := evil.call(now, id, tt.fields)
			status := evil.post(t, in.Base+"/inbox", evil.activity("Create", "create-"+id, call))
			if status != tt.status {
				t.Errorf("Create: status %d, want %d", status, tt.status)
			}
			o, ok := storedObject(t, in, call["id"].(string))
			if ok != tt.stored {
				t.Fatalf("stored %v, want %v: %+v", ok, tt.stored, o)
			}
			_, inDir := entryByID(queryDir(t, in, "source="+evil.host+"&per_page=100").Entries, call["id"].(string))
			if inDir != tt.stored {
				t.Errorf("in the directory %v, want %v", inDir, tt.stored)
			}
			if ok {
				tt.check(t, o)
			}
		})
	}

	// The valid backfilled call arrived, sanitised; the invalid one did not.
	backfilled := evil.base + "/orgs/evil/calls/backfilled"
	testenv.WaitFor(t, webtest.Wait, "the backfilled call", func() bool { _, ok := storedObject(t, in, backfilled); return ok })
	if o, _ := storedObject(t, in, backfilled); o.Title != "Backfilled call" || strings.Contains(o.Content, "onclick") || strings.Contains(o.Content, "<script") {
		t.Errorf("backfilled call: title %q content %q", o.Title, o.Content)
	}
	if o, ok := storedObject(t, in, evil.base+"/orgs/evil/calls/backfilled-invalid"); ok {
		t.Errorf("the invalid backfilled call was stored: %+v", o)
	}

	// Nothing hostile reaches the directory (decoded, so that JSON's own
	// escaping hides nothing), its page, its exports or the sector page.
	res := queryDir(t, in, "source="+evil.host+"&per_page=100")
	if len(res.Entries) != 4 { // the organisation, the sanitised call, the call without a position, the backfilled call
		t.Errorf("%d entries from the hostile server, want 4: %v", len(res.Entries), entryIDs(res.Entries))
	}
	for _, e := range res.Entries {
		for _, s := range []string{e.Title, e.Summary, e.URL, e.Website, e.OrgName, e.PlaceName, e.Country, e.Status, strings.Join(e.Sectors, " ")} {
			for _, bad := range hostileMarks {
				if strings.Contains(strings.ToLower(s), bad) {
					t.Errorf("directory entry %s has %q in %q", e.ID, bad, s)
				}
			}
		}
	}
	for _, path := range []string{"/directory", "/directory?source=" + evil.host, "/directory?sector=energy", "/sectors/energy", "/directory.json?per_page=100",
		"/directory.csv", "/directory.geojson", "/directory/calls.atom", "/directory/deadlines.ics"} {
		_, body := getOK(t, in, path, acceptLanguage("en"))
		lower := strings.ToLower(body)
		for _, bad := range hostileMarks {
			if strings.Contains(lower, bad) {
				i := strings.Index(lower, bad)
				t.Errorf("%s contains %q: …%s…", path, bad, body[max(0, i-60):min(len(body), i+40)])
			}
		}
	}
	_, page := getOK(t, in, "/directory?source="+evil.host, acceptLanguage("en"))
	if !strings.Contains(page, "Evil Updated") || !strings.Contains(page, "Call for partners") || !strings.Contains(page, "from "+evil.host+"</p>") {
		t.Errorf("the directory page does not show the hostile server's valid entries:\n%s", page)
	}
	// Markup written as entities is plain text once decoded: it is stored
	// as such, and pages and feeds escape it.
	entities := evil.call(now, "entities", map[string]any{"title": "&lt;script&gt;alert(1)&lt;/script&gt;Entities"})
	evil.mustPost(t, in.Base+"/inbox", evil.activity("Create", "create-entities", entities), http.StatusAccepted)
	if o, ok := storedObject(t, in, entities["id"].(string)); !ok || o.Title != "<script>alert(1)</script>Entities" {
		t.Errorf("call with entities: stored %v, title %q", ok, o.Title)
	}
	for _, path := range []string{"/directory?q=entities", "/sectors/energy", "/directory/calls.atom"} {
		if _, body := getOK(t, in, path, acceptLanguage("en")); strings.Contains(body, "<script") || !strings.Contains(body, "&lt;script&gt;") {
			t.Errorf("%s does not show the title as escaped text", path)
		}
	}
}

// evilRemote is a fake maillage-like server with one organisation, evil,
// that signs what it sends. GET serves its documents; POST answers 202.
type evilRemote struct {
	base, host, id, keyID string
	key                   *rsa.PrivateKey
	pem                   string
	client                *http.Client

	mu   sync.Mutex // guards docs
	docs map[string][]byte
}

func startEvilRemote(t *testing.T, ip string) *evilRemote {
	t.Helper()
	ln, err := net.Listen("tcp", net.JoinHostPort(ip, "0"))
	if err != nil {
		t.Fatalf("listen on %s: %v", ip, err)
	}
	key, err := httpsign.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	pem, err := httpsign.EncodePublicKey(&key.PublicKey)
	if err != nil {
		t.Fatal(err)
	}
	r := &evilRemote{key: key, pem: pem, docs: map[string][]byte{}, client: &http.Client{Timeout: 30 * time.Second}}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(r.serve))
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	r.base, r.host = srv.URL, ln.Addr().String()
	r.id = r.base + "/orgs/evil"
	r.keyID = r.id + "#main-key"
	return r
}

func (r *evilRemote) serve(w http.ResponseWriter, req *http.Request) {
	if req.Method == http.MethodPost {
		_, _ = io.Copy(io.Discard, req.Body)
		w.WriteHeader(http.StatusAccepted)
		return
	}
	r.mu.Lock()
	doc, ok := r.docs[req.URL.Path]
	r.mu.Unlock()
	if !ok {
		http.NotFound(w, req)
		return
	}
	w.Header().Set("Content-Type", "application/activity+json")
	_, _ = w.Write(doc)
}

var evilContext = []any{"https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
	map[string]any{"mai": "https://w3id.org/maillage/ns#", "kind": "mai:kind", "title": "mai:title", "pitch": "mai:pitch",
		"sector": "mai:sector", "status": "mai:status", "partnerRole": "mai:partnerRole", "legalForm": "mai:legalForm",
		"website": map[string]any{"@id": "mai:website", "@type": "@id"}, "country": "mai:country", "legalName": "http://schema.org#legalName"}}

// actorDoc is evil's actor document with fields set over the required ones.
func (r *evilRemote) actorDoc(fields map[string]any) map[string]any {
	m := map[string]any{
		"@context": evilContext, "id": r.id, "type": "Organization", "preferredUsername": "evil",
		"inbox": r.id + "/inbox", "outbox": r.id + "/outbox", "followers": r.id + "/followers",
		"endpoints": map[string]any{"sharedInbox": r.base + "/inbox"},
		"publicKey": map[string]any{"id": r.keyID, "owner": r.id, "publicKeyPem": r.pem},
	}
	for k, v := range fields {
		m[k] = v
	}
	return m
}

func (r *evilRemote) setDoc(t *testing.T, path string, doc any) {
	t.Helper()
	b, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	r.mu.Lock()
	r.docs[path] = b
	r.mu.Unlock()
}

func (r *evilRemote) setActor(t *testing.T, fields map[string]any) {
	r.setDoc(t, "/orgs/evil", r.actorDoc(fields))
}

// setOutbox serves evil's outbox with a Create of each call, newest first.
func (r *evilRemote) setOutbox(t *testing.T, now time.Time, calls []map[string]any) {
	items := make([]any, len(calls))
	for i, c := range calls {
		items[i] = r.activity("Create", "outbox-"+c["id"].(string)[len(r.id)+len("/calls/"):], c)
	}
	r.setDoc(t, "/orgs/evil/outbox", map[string]any{"@context": evilContext, "id": r.id + "/outbox",
		"type": "OrderedCollection", "totalItems": len(items), "orderedItems": items})
}

// call is a valid call by evil with fields set (nil deletes a field).
func (r *evilRemote) call(now time.Time, id string, fields map[string]any) map[string]any {
	m := map[string]any{
		"id": r.id + "/calls/" + id, "type": "Note", "attributedTo": r.id, "kind": "call",
		"title": "Call " + id, "pitch": "A pitch.", "content": "<p>A call.</p>", "sector": []any{"energy"},
		"status": "open", "deadline": now.Add(30 * 24 * time.Hour).Format(time.RFC3339), "partnerRole": []any{"lender"},
		"location":  map[string]any{"type": "Place", "name": "Lyon", "country": "FR", "latitude": 45.76, "longitude": 4.84},
		"published": now.Format(time.RFC3339),
		"to":        []any{"https://www.w3.org/ns/activitystreams#Public"}, "cc": []any{r.id + "/followers"},
	}
	for k, v := range fields {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	return m
}

func (r *evilRemote) activity(typ, id string, object map[string]any) map[string]any {
	obj := make(map[string]any, len(object))
	for k, v := range object {
		if k != "@context" {
			obj[k] = v
		}
	}
	return map[string]any{"@context": evilContext, "id": r.base + "/activities/" + id, "type": typ, "actor": r.id,
		"to": []any{"https://www.w3.org/ns/activitystreams#Public"}, "object": obj}
}

// post sends activity to inbox signed by evil and returns the status.
func (r *evilRemote) post(t *testing.T, inbox string, activity map[string]any) int {
	t.Helper()
	body, err := json.Marshal(activity)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(http.MethodPost, inbox, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/activity+json")
	if err := httpsign.Sign(req, r.keyID, r.key, body, time.Now()); err != nil {
		t.Fatal(err)
	}
	resp, err := r.client.Do(req)
	if err != nil {
		t.Fatalf("POST %s: %v", inbox, err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func (r *evilRemote) mustPost(t *testing.T, inbox string, activity map[string]any, want int) {
	t.Helper()
	if got := r.post(t, inbox, activity); got != want {
		t.Fatalf("POST %v %v: status %d, want %d", activity["type"], activity["id"], got, want)
	}
}

// followedBy makes local follow evil through in's admin API, and answers
// the Follow with a signed Accept.
func (r *evilRemote) followedBy(t *testing.T, in *testenv.Instance, local string) {
	t.Helper()
	var f model.Following
	if s := in.API(http.MethodPost, "/api/v1/orgs/"+local+"/follow", map[string]string{"target": r.id}, &f); s != http.StatusAccepted {
		t.Fatalf("follow %s: status %d", r.id, s)
	}
	follow := map[string]any{"id": f.FollowID, "type": "Follow", "actor": in.Actor(local), "object": r.id}
	r.mustPost(t, in.Actor(local)+"/inbox", r.activity("Accept", "accept-1", follow), http.StatusAccepted)
	var fs []model.Following
	in.API(http.MethodGet, "/api/v1/orgs/"+local+"/following", nil, &fs)
	if len(fs) != 1 || fs[0].Target != r.id || fs[0].State != model.FollowAccepted {
		t.Fatalf("following after the Accept: %+v", fs)
	}
}

// remoteOrgEntry is the one organisation entry from r in in's directory.
func remoteOrgEntry(t *testing.T, in *testenv.Instance, r *evilRemote) directory.Entry {
	t.Helper()
	es := queryDir(t, in, "kind=org&source="+r.host).Entries
	if len(es) != 1 || es[0].ID != r.id {
		t.Fatalf("organisations from %s: %+v, want %s", r.host, es, r.id)
	}
	return es[0]
}

func storedActor(t *testing.T, in *testenv.Instance, id string) model.Actor {
	t.Helper()
	var a model.Actor
	err := in.Server.Store.View(func(tx *store.Tx) error {
		var err error
		a, err = tx.Actor(id)
		return err
	})
	if err != nil {
		t.Fatalf("actor %s: %v", id, err)
	}
	return a
}

// storedObject reads a live object; ok is false when it is not stored.
func storedObject(t *testing.T, in *testenv.Instance, id string) (model.Object, bool) {
	t.Helper()
	o, err := in.Server.Service.Object(context.Background(), id)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return o, false
	case err != nil:
		t.Fatalf("object %s: %v", id, err)
	}
	return o, !o.IsDeleted() && !reflect.DeepEqual(o, model.Object{})
}
