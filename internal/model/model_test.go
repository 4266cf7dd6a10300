package model

import (
	"testing"
	"time"
)

func TestSectorHashtag(t *testing.T) {
	tests := []struct{ slug, want string }{
		{"energy", "energy"},
		{"circular-economy", "circulareconomy"},
		{"citizenship-local-development", "citizenshiplocaldevelopment"},
		{"", ""},
		{"--", ""},
	}
	for _, tt := range tests {
		if got := SectorHashtag(tt.slug); got != tt.want {
			t.Errorf("SectorHashtag(%q) = %q, want %q", tt.slug, got, tt.want)
		}
	}
	// Every taxonomy hashtag is distinct, so a hashtag maps back to one sector.
	seen := map[string]string{}
	for _, s := range Sectors {
		h := SectorHashtag(s.Slug)
		if other, ok := seen[h]; ok {
			t.Errorf("sectors %q and %q share hashtag %q", other, s.Slug, h)
		}
		seen[h] = s.Slug
	}
}

func TestIsSector(t *testing.T) {
	for _, s := range Sectors {
		if !IsSector(s.Slug) {
			t.Errorf("IsSector(%q) = false, want true", s.Slug)
		}
	}
	for _, s := range []string{"", "Energy", "energy ", "space"} {
		if IsSector(s) {
			t.Errorf("IsSector(%q) = true, want false", s)
		}
	}
}

func TestKindValid(t *testing.T) {
	tests := []struct {
		k    Kind
		want bool
	}{{KindProject, true}, {KindCall, true}, {KindNote, false}, {"", false}, {"Project", false}}
	for _, tt := range tests {
		if got := tt.k.Valid(); got != tt.want {
			t.Errorf("Kind(%q).Valid() = %t, want %t", tt.k, got, tt.want)
		}
	}
}

func TestActorHandleAndDeliveryInbox(t *testing.T) {
	a := Actor{ID: "https://b.example/users/bob", Username: "bob", Host: "b.example:8443", Inbox: "https://b.example/users/bob/inbox"}
	if got, want := a.Handle(), "bob@b.example:8443"; got != want {
		t.Errorf("Handle = %q, want %q", got, want)
	}
	if got, want := a.DeliveryInbox(), a.Inbox; got != want {
		t.Errorf("DeliveryInbox without shared inbox = %q, want %q", got, want)
	}
	a.SharedInbox = "https://b.example/inbox"
	if got, want := a.DeliveryInbox(), a.SharedInbox; got != want {
		t.Errorf("DeliveryInbox = %q, want %q", got, want)
	}
	anon := Actor{ID: "https://c.example/x"}
	if got, want := anon.Handle(), anon.ID; got != want {
		t.Errorf("Handle without username = %q, want %q", got, want)
	}
}

func TestIsDeleted(t *testing.T) {
	o := Object{}
	if o.IsDeleted() {
		t.Error("IsDeleted on a live object = true")
	}
	o.Deleted = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	if !o.IsDeleted() {
		t.Error("IsDeleted on a tombstone = false")
	}
}
