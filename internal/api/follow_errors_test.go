package api_test

import (
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestFollowStoreFailureIsNotUnresolved checks that only a remote's failure
// is reported as "could not resolve" (502): here the remote answers well,
// but the local store fails while the follow is being stored, which is our
// fault and a 500, not a typo in the handle.
func TestFollowStoreFailureIsNotUnresolved(t *testing.T) {
	in := testenv.Start(t, "127.0.0.210", testenv.Options{})
	ln, err := net.Listen("tcp", "127.0.0.211:0")
	if err != nil {
		t.Fatal(err)
	}
	peer := httptest.NewUnstartedServer(nil)
	peer.Listener.Close()
	peer.Listener = ln
	base := "http://" + ln.Addr().String()
	actor := base + "/users/bob"
	peer.Config.Handler = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/.well-known/webfinger":
			// The store fails from now on, before the resolved actor is
			// stored. (The admin pages re-read the store to show a
			// follow error, so the API, which does not, is used.)
			_ = in.Server.Store.Close()
			w.Header().Set("Content-Type", "application/jrd+json")
			_ = json.NewEncoder(w).Encode(map[string]any{"subject": "acct:bob@" + ln.Addr().String(),
				"links": []any{map[string]any{"rel": "self", "type": "application/activity+json", "href": actor}}})
		case "/users/bob":
			w.Header().Set("Content-Type", "application/activity+json")
			_ = json.NewEncoder(w).Encode(map[string]any{"@context": "https://www.w3.org/ns/activitystreams",
				"id": actor, "type": "Person", "preferredUsername": "bob", "inbox": actor + "/inbox",
				"publicKey": map[string]any{"id": actor + "#main-key", "owner": actor,
					"publicKeyPem": "-----BEGIN PUBLIC KEY-----\nMFkw\n-----END PUBLIC KEY-----\n"}})
		default:
			http.NotFound(w, r)
		}
	})
	peer.Start()
	t.Cleanup(peer.Close)

	// A rule violation is 422 with its field's message in English, the
	// API's language.
	var verr struct {
		Error  string
		Fields map[string]string
	}
	if s := in.API("POST", "/api/v1/orgs/coop/follow", map[string]string{"target": in.Actor("coop")}, &verr); s != http.StatusUnprocessableEntity ||
		verr.Fields["target"] != "an actor cannot follow itself" {
		t.Errorf("self-follow: status %d %+v, want 422 with the English message", s, verr)
	}

	handle := "bob@" + ln.Addr().String()
	var got struct{ Error string }
	status := in.API("POST", "/api/v1/orgs/coop/follow", map[string]string{"target": handle}, &got)
	if status != http.StatusInternalServerError || strings.Contains(got.Error, "resolve") || strings.Contains(got.Error, "bob@") {
		t.Errorf("follow whose store write fails: status %d %q, want 500 without the unresolved message", status, got.Error)
	}
}
