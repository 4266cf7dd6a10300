package service

import (
	"context"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

// TestDefaultLanguage: an object without a language takes its
// organisation's first working language; a stated one is kept.
func TestDefaultLanguage(t *testing.T) {
	e := newTestEnv(t)
	if _, err := e.svc.UpdateProfile(context.Background(), "acme", ProfileInput{Profile: model.Profile{
		DisplayName: "Acme", Languages: []string{"fr", "en"}}}); err != nil {
		t.Fatal(err)
	}
	in := projectInput()
	in.Lang = ""
	if o := e.publish(t, "acme", in); o.Lang != "fr" || e.object(t, o.ID).Lang != "fr" {
		t.Errorf("stored language = %q, want the organisation's fr", e.object(t, o.ID).Lang)
	}
	in.Lang = "en"
	if o := e.publish(t, "acme", in); e.object(t, o.ID).Lang != "en" {
		t.Errorf("stated language replaced: %q", e.object(t, o.ID).Lang)
	}
}
