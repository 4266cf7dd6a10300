package uris

import (
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestIRIs(t *testing.T) {
	u := URIs{Base: "https://m.example"}
	tests := []struct{ name, got, want string }{
		{"org actor", u.Actor("acme"), "https://m.example/orgs/acme"},
		{"instance actor", u.Actor(model.InstanceName), "https://m.example/actor"},
		{"org inbox", u.Inbox("acme"), "https://m.example/orgs/acme/inbox"},
		{"instance inbox", u.Inbox(model.InstanceName), "https://m.example/actor/inbox"},
		{"outbox", u.Outbox("acme"), "https://m.example/orgs/acme/outbox"},
		{"followers", u.Followers("acme"), "https://m.example/orgs/acme/followers"},
		{"following", u.Following(model.InstanceName), "https://m.example/actor/following"},
		{"key id", u.KeyID("acme"), "https://m.example/orgs/acme#main-key"},
		{"shared inbox", u.SharedInbox(), "https://m.example/inbox"},
		{"activity", u.Activity("abc"), "https://m.example/activities/abc"},
		{"project", u.Object("acme", model.KindProject, "p1"), "https://m.example/orgs/acme/projects/p1"},
		{"call", u.Object("acme", model.KindCall, "c1"), "https://m.example/orgs/acme/calls/c1"},
		{"note", u.Note("acme", "n1"), "https://m.example/orgs/acme/notes/n1"},
		{"replies", u.Replies("https://m.example/orgs/acme/calls/c1"), "https://m.example/orgs/acme/calls/c1/replies"},
		{"tag", u.Tag("energy"), "https://m.example/sectors/energy"},
		{"host", u.Host(), "m.example"},
		{"host with port", URIs{Base: "http://127.0.0.2:8080"}.Host(), "127.0.0.2:8080"},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
}

func TestIsLocal(t *testing.T) {
	u := URIs{Base: "http://127.0.0.2:80"}
	tests := []struct {
		iri  string
		want bool
	}{
		{"http://127.0.0.2:80", true},
		{"http://127.0.0.2:80/", true},
		{"http://127.0.0.2:80/orgs/acme", true},
		{"http://127.0.0.2:80#main-key", true},
		{"http://127.0.0.2:8080/orgs/acme", false}, // base is a string prefix, but another port
		{"http://127.0.0.2:8080", false},
		{"http://127.0.0.2:80.evil.example/orgs/acme", false},
		{"http://127.0.0.2:80@evil.example/orgs/acme", false},
		{"https://127.0.0.2:80/orgs/acme", false},
		{"http://127.0.0.2/orgs/acme", false},
		{"http://127.0.0.3:80/orgs/acme", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := u.IsLocal(tt.iri); got != tt.want {
			t.Errorf("IsLocal(%q) with base %q = %t, want %t", tt.iri, u.Base, got, tt.want)
		}
	}
}

func TestLocalActorName(t *testing.T) {
	u := URIs{Base: "https://m.example"}
	tests := []struct {
		iri      string
		wantName string
		wantOK   bool
	}{
		{"https://m.example/actor", model.InstanceName, true},
		{"https://m.example/orgs/acme", "acme", true},
		{"https://m.example/orgs/la.coop-du_coin", "la.coop-du_coin", true},
		{"https://m.example/orgs/", "", false},
		{"https://m.example/orgs", "", false},
		{"https://m.example/orgs/acme/inbox", "", false},
		{"https://m.example/orgs/acme/calls/1", "", false},
		{"https://m.example/orgs/acme#main-key", "", false},
		{"https://m.example/orgs/acme?page=1", "", false},
		{"https://m.example/actor/inbox", "", false},
		{"https://m.example/actor#main-key", "", false},
		{"https://other.example/orgs/acme", "", false},
		{"https://m.example.evil/orgs/acme", "", false},
		{"http://m.example/orgs/acme", "", false},
	}
	for _, tt := range tests {
		name, ok := u.LocalActorName(tt.iri)
		if name != tt.wantName || ok != tt.wantOK {
			t.Errorf("LocalActorName(%q) = %q, %t; want %q, %t", tt.iri, name, ok, tt.wantName, tt.wantOK)
		}
	}
}

func TestLocalActorNameRoundTrip(t *testing.T) {
	u := URIs{Base: "https://m.example"}
	for _, name := range []string{"acme", "coop_42", model.InstanceName} {
		got, ok := u.LocalActorName(u.Actor(name))
		if !ok || got != name {
			t.Errorf("LocalActorName(Actor(%q)) = %q, %t; want %q, true", name, got, ok, name)
		}
	}
}

func TestLocalActorNameOrgsInstance(t *testing.T) {
	u := URIs{Base: "https://m.example"}
	iri := "https://m.example/orgs/" + model.InstanceName
	if name, ok := u.LocalActorName(iri); ok {
		t.Errorf("LocalActorName(%q) = %q, true; want false (Actor(%q) = %q)", iri, name, name, u.Actor(name))
	}
}

func TestNewIDTimeOrdered(t *testing.T) {
	base := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	steps := []time.Duration{0, 1, 2, time.Microsecond, time.Millisecond, time.Second, time.Hour, 24 * time.Hour, 365 * 24 * time.Hour}
	var ids []string
	for _, d := range steps {
		ids = append(ids, NewID(base.Add(d)))
	}
	if !slices.IsSorted(ids) {
		t.Errorf("IDs for increasing times are not sorted: %q", ids)
	}
	for _, id := range ids {
		if len(id) != 20 {
			t.Errorf("len(%q) = %d, want 20", id, len(id))
		}
		if strings.Trim(id, "0123456789abcdefghjkmnpqrstvwxyz") != "" {
			t.Errorf("ID %q has characters outside the URL-safe alphabet", id)
		}
	}
}

func TestNewIDUnique(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC) // same instant: the random part decides
	seen := make(map[string]bool, 10000)
	for range 10000 {
		id := NewID(now)
		if seen[id] {
			t.Fatalf("NewID returned %q twice", id)
		}
		seen[id] = true
	}
}

func TestIsInboxPath(t *testing.T) {
	u := URIs{Base: "https://m.example"}
	inboxes := []string{"/inbox", "/actor/inbox", "/orgs/acme/inbox", "/members/alice/inbox"}
	for _, p := range inboxes {
		if !u.IsInboxPath(p) {
			t.Errorf("IsInboxPath(%q) = false, want true", p)
		}
	}
	for _, name := range []string{model.InstanceName, "acme", model.PersonName("alice")} {
		if p := strings.TrimPrefix(u.Inbox(name), u.Base); !u.IsInboxPath(p) {
			t.Errorf("IsInboxPath(Inbox(%q) = %q) = false", name, p)
		}
	}
	for _, p := range []string{"", "/", "/login", "/inbox/", "/admin/inbox", "/me/inbox", "/orgs/inbox",
		"/orgs/acme/calls/inbox", "/orgs/a/b/inbox", "/members/inbox", "/members/a/b/inbox",
		"/orgs/" + model.InstanceName + "/inbox", "/actor/outbox", "/admin/orgs/acme/inbox", "/orgs/acme/inbox/x"} {
		if u.IsInboxPath(p) {
			t.Errorf("IsInboxPath(%q) = true, want false", p)
		}
	}
}
