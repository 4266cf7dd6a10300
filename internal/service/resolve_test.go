package service

import (
	"context"
	"errors"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestResolveLocalTargets: the service describes its own actors itself,
// without asking the resolver, and describes a local IRI the resolver
// returns bare (a remote name leading back here).
func TestResolveLocalTargets(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	acme, instance := e.u.Actor("acme"), e.u.Actor(model.InstanceName)
	e.resolve.actors["back@b.example"] = model.Actor{ID: acme}
	for _, tt := range []struct {
		target, want string
		asked        bool
	}{
		{"acme@local.example", acme, false},
		{"@Acme@local.example", acme, false},
		{acme, acme, false},
		{"local.example", instance, false},
		{"https://local.example", instance, false},
		{"https://local.example/", instance, false},
		{"back@b.example", acme, true},
	} {
		e.resolve.calls = nil
		a, err := e.svc.resolveActor(ctx, tt.target)
		if err != nil || a.ID != tt.want || a.Inbox != e.u.Inbox(nameOf(t, e, tt.want)) || a.PublicKeyPEM == "" {
			t.Errorf("resolveActor(%q) = %+v, %v; want %s described", tt.target, a, err, tt.want)
		}
		if asked := len(e.resolve.calls) > 0; asked != tt.asked {
			t.Errorf("resolveActor(%q) asked the resolver %v; want %v", tt.target, e.resolve.calls, tt.asked)
		}
	}
	e.resolve.calls = nil
	if a, err := e.svc.resolveActor(ctx, "nobody@local.example"); !errors.Is(err, ErrNotFound) {
		t.Errorf("resolveActor(nobody@local.example) = %+v, %v; want %v", a, err, ErrNotFound)
	}
	if len(e.resolve.calls) > 0 {
		t.Errorf("an unknown local name asked the resolver: %v", e.resolve.calls)
	}
}

func nameOf(t *testing.T, e *testEnv, iri string) string {
	t.Helper()
	name, ok := e.u.LocalActorName(iri)
	if !ok {
		t.Fatalf("%s is not a local actor IRI", iri)
	}
	return name
}
