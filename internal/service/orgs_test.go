package service

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

func TestBootstrap(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	if e.token == "" {
		t.Fatal("first Bootstrap returned no token")
	}
	inst, err := e.svc.Org(ctx, model.InstanceName)
	if err != nil {
		t.Fatalf("Org(instance): %v", err)
	}
	if !inst.Instance || inst.DisplayName != "local.example" || inst.PrivateKeyPEM != testPrivatePEM || inst.PublicKeyPEM != testPublicPEM {
		t.Errorf("instance actor = %+v", inst)
	}
	acme, err := e.svc.Org(ctx, "acme")
	if err != nil {
		t.Fatalf("Org(acme): %v", err)
	}
	if acme.Instance || acme.DisplayName != "Acme" || acme.PublicKeyPEM != testPublicPEM || !acme.Created.Equal(t0) {
		t.Errorf("first org = %+v", acme)
	}

	second, err := e.svc.Bootstrap(ctx, "other", "Other")
	if err != nil {
		t.Fatalf("second Bootstrap: %v", err)
	}
	if second != "" {
		t.Errorf("second Bootstrap token = %q, want \"\"", second)
	}
	if _, err := e.svc.Org(ctx, "other"); !errors.Is(err, ErrNotFound) {
		t.Errorf("second Bootstrap created org other: err = %v, want ErrNotFound", err)
	}
	orgs, err := e.svc.Orgs(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(orgs) != 1 || orgs[0].Name != "acme" {
		t.Errorf("Orgs = %+v, want only acme (instance actor excluded)", orgs)
	}
	if got := e.keyPairs.Load(); got != 2 {
		t.Errorf("key pairs made = %d, want 2", got)
	}

	tests := []struct {
		token string
		want  bool
	}{{e.token, true}, {e.token + "x", false}, {"", false}, {"admin", false}}
	for _, tt := range tests {
		if got := e.svc.CheckToken(tt.token); got != tt.want {
			t.Errorf("CheckToken(%q) = %t, want %t", tt.token, got, tt.want)
		}
	}
}

func TestBootstrapInvalidFirstOrgChangesNothing(t *testing.T) {
	st, err := store.Open(filepath.Join(t.TempDir(), "maillage.db"), store.Options{LockTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	svc, err := New(Deps{Store: st, URIs: uris.URIs{Base: "https://local.example"}, Renderer: &fakeRenderer{},
		Resolver: &fakeResolver{}, Poke: func() {},
		KeyPair: func() (string, string, error) { return testPrivatePEM, testPublicPEM, nil }})
	if err != nil {
		t.Fatal(err)
	}
	token, err := svc.Bootstrap(context.Background(), "Not Valid", "X")
	if err == nil {
		t.Fatalf("Bootstrap with an invalid org name succeeded (token %q)", token)
	}
	if got := validationFields(t, err); !slices.Equal(got, []string{"name"}) {
		t.Errorf("fields = %q, want [name]", got)
	}
	if _, err := svc.Org(context.Background(), model.InstanceName); !errors.Is(err, ErrNotFound) {
		t.Errorf("instance actor after failed Bootstrap: err = %v, want ErrNotFound", err)
	}
	_ = st.View(func(tx *store.Tx) error {
		if tx.HasTokens() {
			t.Error("a token was stored by a failed Bootstrap")
		}
		return nil
	})
}

func TestCreateOrg(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	o, err := e.svc.CreateOrg(ctx, asAdmin, model.Org{Name: "beta", Instance: true, Profile: model.Profile{DisplayName: "Beta"}})
	if err != nil {
		t.Fatalf("CreateOrg: %v", err)
	}
	if o.Instance || o.PrivateKeyPEM != testPrivatePEM {
		t.Errorf("CreateOrg = %+v, want a plain org with keys", o)
	}
	tests := []struct {
		name string
		org  model.Org
		want []string
	}{
		{"taken", model.Org{Name: "acme", Profile: model.Profile{DisplayName: "Again"}}, []string{"name"}},
		{"reserved", model.Org{Name: model.InstanceName, Profile: model.Profile{DisplayName: "Sneaky"}}, []string{"name"}},
		{"no display name", model.Org{Name: "gamma"}, []string{"display_name"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := e.svc.CreateOrg(ctx, asAdmin, tt.org)
			if got := validationFields(t, err); !slices.Equal(got, tt.want) {
				t.Errorf("fields = %q, want %q", got, tt.want)
			}
		})
	}
	acme, _ := e.svc.Org(ctx, "acme")
	if acme.DisplayName != "Acme" {
		t.Errorf("acme DisplayName = %q after a refused CreateOrg, want Acme", acme.DisplayName)
	}
}

func TestUpdateProfile(t *testing.T) {
	e := newTestEnv(t)
	ctx := context.Background()
	e.addFollower(t, "acme", bob, false)
	e.addFollower(t, "acme", frank, true)
	e.clock.Advance(time.Minute)

	o, err := e.svc.UpdateProfile(ctx, asAdmin, "acme", ProfileInput{Profile: model.Profile{DisplayName: "Acme Coop", Country: "FR"}, ManualApprove: true})
	if err != nil {
		t.Fatalf("UpdateProfile: %v", err)
	}
	if o.DisplayName != "Acme Coop" || !o.ManualApprove || !o.Updated.Equal(t0.Add(time.Minute)) || o.PrivateKeyPEM != testPrivatePEM {
		t.Errorf("UpdateProfile = %+v", o)
	}
	checkSent(t, e.sent(t), []sent{{"Update", "acme", bob.SharedInbox}})
	if got := e.pokes.Load(); got != 1 {
		t.Errorf("pokes = %d, want 1", got)
	}

	e.clearQueue(t)
	_, err = e.svc.UpdateProfile(ctx, asAdmin, "acme", ProfileInput{Profile: model.Profile{DisplayName: "", Website: "nope"}})
	if got := validationFields(t, err); !slices.Equal(got, []string{"display_name", "website"}) {
		t.Errorf("fields = %q, want [display_name website]", got)
	}
	if got, _ := e.svc.Org(ctx, "acme"); got.DisplayName != "Acme Coop" {
		t.Errorf("DisplayName after a refused update = %q, want Acme Coop", got.DisplayName)
	}
	if got := e.queue(t); len(got) != 0 {
		t.Errorf("a refused update queued %d deliveries", len(got))
	}
	if _, err := e.svc.UpdateProfile(ctx, asAdmin, "nobody", ProfileInput{Profile: model.Profile{DisplayName: "X"}}); !errors.Is(err, ErrNotFound) {
		t.Errorf("UpdateProfile(nobody): err = %v, want ErrNotFound", err)
	}
}
