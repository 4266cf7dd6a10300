package admin

import (
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	"github.com/go-chi/chi/v5"
	"net/http"
	"net/url"
	"time"
)

// adminAnswersView lists an organisation's answers.
type adminAnswersView struct {
	adminPage
	Answers    []adminAnswerItem
	CanPublish bool
}

type adminAnswerItem struct {
	ID, Call, CallTitle, Role, Text, Author, Status, ReplyIRI string
	Created                                                   time.Time
}

// adminAnswers is /admin/orgs/{org}/answers.
func (h *Handler) adminAnswers(w http.ResponseWriter, r *http.Request) {
	page := adminPageOf(r)
	list, err := h.svc.ListDrafts(r.Context(), webkit.PrincipalOf(r), page.Org)
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	v := adminAnswersView{adminPage: page, CanPublish: service.Can(webkit.AccountOf(r.Context()), service.ActPublish, page.Org)}
	authors := make([]string, len(list))
	for i, a := range list {
		authors[i] = a.Author
	}
	names := h.svc.MemberNames(r.Context(), authors...)
	for _, a := range list {
		it := adminAnswerItem{ID: a.ID, Call: a.Call, CallTitle: a.Call, Role: a.Role, Text: a.Text, Author: a.Author,
			Status: a.Status, ReplyIRI: a.ReplyIRI, Created: a.Created}
		if n, ok := names[a.Author]; ok {
			it.Author = n + " (" + a.Author + ")"
		}
		if o, err := h.svc.Object(r.Context(), a.Call); err == nil && o.Title != "" {
			it.CallTitle = o.Title
		}
		v.Answers = append(v.Answers, it)
	}
	h.kit.Render(w, r, http.StatusOK, "admin_answers", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "answers.admin.title"), Data: v})
}

// adminSendAnswer and adminWithdrawAnswer act on one answer, then go back
// to the list; the service checks the account's role.
func (h *Handler) adminSendAnswer(w http.ResponseWriter, r *http.Request) {
	h.answerAction(w, r, "answer_sent", func(p service.Principal, org, id string) error {
		_, err := h.svc.SendAnswer(r.Context(), p, org, id)
		return err
	})
}

func (h *Handler) adminWithdrawAnswer(w http.ResponseWriter, r *http.Request) {
	h.answerAction(w, r, "answer_withdrawn", func(p service.Principal, org, id string) error {
		return h.svc.WithdrawDraft(r.Context(), p, org, id)
	})
}

func (h *Handler) answerAction(w http.ResponseWriter, r *http.Request, notice string, act func(p service.Principal, org, id string) error) {
	page := adminPageOf(r)
	if err := act(webkit.PrincipalOf(r), page.Org, chi.URLParam(r, "id")); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	h.kit.Saved(w, notice)
	http.Redirect(w, r, "/admin/orgs/"+url.PathEscape(page.Org)+"/answers", http.StatusSeeOther)
}
