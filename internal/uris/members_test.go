package uris

import (
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestMemberIRIs(t *testing.T) {
	u := URIs{Base: "https://m.example"}
	alice := model.PersonName("alice")
	for _, tt := range []struct{ name, got, want string }{
		{"actor", u.Actor(alice), "https://m.example/members/alice"},
		{"inbox", u.Inbox(alice), "https://m.example/members/alice/inbox"},
		{"followers", u.Followers(alice), "https://m.example/members/alice/followers"},
		{"key id", u.KeyID(alice), "https://m.example/members/alice#main-key"},
		{"org unchanged", u.Actor("alice"), "https://m.example/orgs/alice"},
	} {
		if tt.got != tt.want {
			t.Errorf("%s = %q, want %q", tt.name, tt.got, tt.want)
		}
	}
	for _, tt := range []struct {
		iri  string
		name string
		ok   bool
	}{
		{"https://m.example/members/alice", alice, true},
		{"https://m.example/orgs/alice", "alice", true},
		{"https://m.example/orgs/~alice", "", false}, // a Person only at /members/
		{"https://m.example/members/", "", false},
		{"https://m.example/members/~alice", "", false},
		{"https://m.example/members/alice/inbox", "", false},
		{"https://m.example/members/alice#main-key", "", false},
		{"https://other.example/members/alice", "", false},
	} {
		name, ok := u.LocalActorName(tt.iri)
		if name != tt.name || ok != tt.ok {
			t.Errorf("LocalActorName(%q) = %q, %t, want %q, %t", tt.iri, name, ok, tt.name, tt.ok)
		}
		if ok && u.Actor(name) != tt.iri {
			t.Errorf("Actor(%q) = %q, want %q", name, u.Actor(name), tt.iri)
		}
	}
}
