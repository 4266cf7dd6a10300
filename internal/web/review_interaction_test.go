package web_test

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
	"codeberg.org/maillage/maillage/internal/web/webtest"
	"codeberg.org/maillage/maillage/store"
)

// /authorize_interaction must not tell a visitor whether this instance
// holds an object they may not see (found in review): a followers-only
// object is treated as any unknown uri, a public one opens its page.
func TestAuthorizeInteractionRespectsAudience(t *testing.T) {
	in := testenv.Start(t, "127.0.12.61", testenv.Options{})
	author := "https://127.0.0.9/users/ann"
	private := model.Object{ID: author + "/statuses/1", Kind: model.KindNote, AttributedTo: author, Text: "for my followers",
		Audience: model.AudienceFollowers, Published: time.Now()}
	public := private
	public.ID, public.Audience = author+"/statuses/2", model.AudiencePublic
	public.Kind, public.Title, public.Sectors = model.KindCall, "Open call", []string{"energy"}
	if err := in.Server.Store.Update(func(tx *store.Tx) error {
		if err := tx.PutObject(private); err != nil {
			return err
		}
		return tx.PutObject(public)
	}); err != nil {
		t.Fatal(err)
	}
	visitor := webtest.NewBrowser(t, in)
	resp, body := visitor.Get("/authorize_interaction?uri=" + url.QueryEscape(private.ID))
	webtest.WantRedirect(t, resp, body, "/me/following?target="+url.QueryEscape(private.ID))
	resp, body = visitor.Get("/authorize_interaction?uri=" + url.QueryEscape(public.ID))
	webtest.WantRedirect(t, resp, body, "/object?id="+url.QueryEscape(public.ID))
	if resp, _ := visitor.Get("/object?id=" + url.QueryEscape(private.ID)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("followers-only object for a visitor: status %d, want 404", resp.StatusCode)
	}
}
