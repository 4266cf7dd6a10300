package server_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/federation"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestNodeInfoHostile reads the NodeInfo of hostile servers: too large,
// of the wrong types, linking or redirecting to another origin, on a
// private address when those are refused. Each read fails with its reason
// or keeps only plain, bounded values.
func TestNodeInfoHostile(t *testing.T) {
	a := testenv.Start(t, "127.0.0.229", testenv.Options{})
	ctx := context.Background()
	other := startNodeInfoServer(t, "127.0.0.230", `{"version":"2.1","software":{"name":"maillage","version":"1"},"metadata":{}}`)
	elsewhere := startNodeInfoServer(t, "127.0.0.230", `{"version":"2.1","software":{"name":"maillage","version":"1"},"metadata":{}}`)
	serve := func(index func(base string) any, doc func(w http.ResponseWriter, r *http.Request)) *nodeInfoServer {
		return startNodeInfoHandler(t, "127.0.0.229", func(s *nodeInfoServer, w http.ResponseWriter, r *http.Request) {
			switch r.URL.Path {
			case "/.well-known/nodeinfo":
				_ = json.NewEncoder(w).Encode(index(s.base))
			case "/nodeinfo/2.1":
				doc(w, r)
			default:
				http.NotFound(w, r)
			}
		})
	}
	link := func(base string) any {
		return map[string]any{"links": []any{map[string]any{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": base + "/nodeinfo/2.1"}}}
	}
	write := func(body string) func(http.ResponseWriter, *http.Request) {
		return func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(body)) }
	}

	cases := []struct {
		name    string
		srv     *nodeInfoServer
		problem string
	}{
		{"huge document", serve(link, write(`{"software":{"name":"maillage"},"metadata":{"nodeName":"`+strings.Repeat("x", 1<<20)+`"}}`)), federation.PeerTooLarge},
		{"huge index", serve(func(string) any { return map[string]any{"links": strings.Repeat("x", 20<<10)} }, write("{}")), federation.PeerTooLarge},
		{"software name not a string", serve(link, write(`{"software":{"name":12},"metadata":{}}`)), federation.PeerInvalid},
		{"not JSON", serve(link, write(`<html>`)), federation.PeerInvalid},
		{"link to another origin", serve(func(string) any { return link(other.base) }, write("{}")), federation.PeerInvalid},
		{"redirect to another origin", serve(link, func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, elsewhere.base+"/nodeinfo/2.1", http.StatusFound)
		}), federation.PeerInvalid},
		{"status 500", serve(link, func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(500) }), federation.PeerUnreachable},
	}
	for _, tc := range cases {
		if p := a.Server.Fetch.ReadNodeInfo(ctx, tc.srv.base); p.Problem != tc.problem {
			t.Errorf("%s: problem %q, want %q (%+v)", tc.name, p.Problem, tc.problem, p)
		}
	}
	if n := other.reads(); n != 0 {
		t.Errorf("the origin linked to was read %d times", n)
	}

	// Wrong types and hostile text: kept plain and bounded, or dropped.
	wrong := serve(link, write(`{"version":"2.1","software":{"name":"maillage","version":{"x":1}},
		"metadata":{"nodeName":"<script>alert(1)</script>Nice `+strings.Repeat("é", 5000)+`",
		"maillage":{"organisations":"12","projects":-3,"openCalls":1e12,"region":["R"],"country":"France",
		"languages":["fr","<b>","`+strings.Repeat("a", 100)+`"],"summary":"line\none"}}}`))
	p := a.Server.Fetch.ReadNodeInfo(ctx, wrong.base)
	if p.Problem != "" || !p.Maillage || p.Version != "" || p.Orgs != 0 || p.Projects != 0 || p.OpenCalls != 10_000_000 ||
		p.Region != "" || p.Country != "" || len(p.Languages) != 1 || p.Summary != "line one" {
		t.Errorf("wrong types read as %+v", p)
	}
	if strings.Contains(p.Name, "<") || utf8.RuneCountInString(p.Name) > 200 || !strings.HasPrefix(p.Name, "alert(1)Nice é") && !strings.HasPrefix(p.Name, "Nice é") {
		t.Errorf("hostile name kept as %q", p.Name)
	}

	// An instance that refuses private addresses refuses this one.
	guarded := testenv.Start(t, "127.0.0.231", testenv.Options{DenyPrivate: true})
	if p := guarded.Server.Fetch.ReadNodeInfo(ctx, other.base); p.Problem != federation.PeerRefused {
		t.Errorf("private address: problem %q, want %q", p.Problem, federation.PeerRefused)
	}
}
