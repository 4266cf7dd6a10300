package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// answerForm is the form to propose an answer to a call for one of the
// signed-in account's organisations.
type answerForm struct {
	Call       string
	Org        string // local name
	OrgName    string // display name
	Roles      []string
	Role, Text string
	Errors     adminFieldErrors
	MaxText    int
}

// answerForms are the forms the account of r may fill for the call o: one
// per local organisation it may propose answers for, but the caller's.
// None without a session, or when the call is not open.
func (h *Handler) answerForms(r *http.Request, o model.Object) []answerForm {
	if o.Kind != model.KindCall || o.IsDeleted() || !o.CallState().IsOpen(h.now()) {
		return nil
	}
	acc, ok := h.sessionAccount(r)
	if !ok {
		return nil
	}
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		h.log.Error("list orgs", "err", err)
		return nil
	}
	roles := o.PartnerRoles
	if len(roles) == 0 {
		roles = model.PartnerRoles
	}
	var out []answerForm
	for _, org := range orgs {
		if org.Instance || h.uris.Actor(org.Name) == o.AttributedTo || !service.Can(acc, service.ActProposeAnswer, org.Name) {
			continue
		}
		out = append(out, answerForm{Call: o.ID, Org: org.Name, OrgName: org.DisplayName, Roles: roles, MaxText: service.MaxAnswerText})
	}
	return out
}

// answerPage proposes answers to any call the instance holds, local or
// received (the page of a remote call is on its own server).
type answerPage struct {
	Object      model.Object
	Sender      string // the calling organisation's handle
	AnswerForms []answerForm
	Drafted     bool
}

// showAnswer is /answer?call=IRI: the call and the forms.
func (h *Handler) showAnswer(w http.ResponseWriter, r *http.Request) {
	h.renderAnswer(w, r, http.StatusOK, r.URL.Query().Get("call"), nil)
}

func (h *Handler) renderAnswer(w http.ResponseWriter, r *http.Request, status int, iri string, failed *answerForm) {
	w.Header().Set("Cache-Control", "no-store")
	acc, ok := h.sessionAccount(r)
	if !ok {
		http.Redirect(w, r, "/login?next="+url.QueryEscape("/answer?call="+url.QueryEscape(iri)), http.StatusSeeOther)
		return
	}
	o, err := h.svc.ObjectFor(r.Context(), service.AccountPrincipal(acc), iri) // a call not addressed to the account is not found
	if err == nil && (o.Kind != model.KindCall || o.IsDeleted()) {
		err = service.ErrNotFound
	}
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	v := answerPage{Object: o, Sender: h.handleOf(o.AttributedTo), AnswerForms: h.answerForms(r, o), Drafted: r.URL.Query().Has("drafted")}
	if failed != nil {
		for i, f := range v.AnswerForms {
			if f.Org == failed.Org {
				failed.Roles, failed.OrgName = f.Roles, f.OrgName
				v.AnswerForms[i] = *failed
			}
		}
	}
	h.render(w, r, status, "answer", pageData{Title: h.tr.T(h.tr.Pick(r), "answers.page.title", o.Title), Data: v})
}

// proposeAnswer creates a draft from a form, then goes back to the
// answer page, which says so.
func (h *Handler) proposeAnswer(w http.ResponseWriter, r *http.Request) {
	if !readForm(w, r) {
		return
	}
	acc, ok := h.sessionAccount(r)
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	f := answerForm{Call: r.PostForm.Get("call"), Org: r.PostForm.Get("org"), Role: r.PostForm.Get("role"),
		Text: r.PostForm.Get("text"), MaxText: service.MaxAnswerText}
	_, err := h.svc.ProposeAnswer(r.Context(), service.AccountPrincipal(acc), f.Org, f.Call, f.Role, f.Text)
	if errs, ok := h.validationErrors(r, err); ok {
		f.Errors = errs
		h.renderAnswer(w, r, http.StatusUnprocessableEntity, f.Call, &f)
		return
	}
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/answer?drafted=1&call="+url.QueryEscape(f.Call), http.StatusSeeOther)
}

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
	list, err := h.svc.ListDrafts(r.Context(), principalOf(r), page.Org)
	if err != nil {
		writePageError(w, h.log, err)
		return
	}
	v := adminAnswersView{adminPage: page, CanPublish: service.Can(sessionAccountOf(r.Context()), service.ActPublish, page.Org)}
	for _, a := range list {
		it := adminAnswerItem{ID: a.ID, Call: a.Call, CallTitle: a.Call, Role: a.Role, Text: a.Text, Author: a.Author,
			Status: a.Status, ReplyIRI: a.ReplyIRI, Created: a.Created}
		if o, err := h.svc.Object(r.Context(), a.Call); err == nil && o.Title != "" {
			it.CallTitle = o.Title
		}
		v.Answers = append(v.Answers, it)
	}
	h.render(w, r, http.StatusOK, "admin_answers", pageData{Title: h.tr.T(h.tr.Pick(r), "answers.admin.title"), Data: v})
}

// adminSendAnswer and adminWithdrawAnswer act on one answer, then go back
// to the list; the service checks the account's role.
func (h *Handler) adminSendAnswer(w http.ResponseWriter, r *http.Request) {
	h.answerAction(w, r, func(p service.Principal, org, id string) error {
		_, err := h.svc.SendAnswer(r.Context(), p, org, id)
		return err
	})
}

func (h *Handler) adminWithdrawAnswer(w http.ResponseWriter, r *http.Request) {
	h.answerAction(w, r, func(p service.Principal, org, id string) error {
		return h.svc.WithdrawDraft(r.Context(), p, org, id)
	})
}

func (h *Handler) answerAction(w http.ResponseWriter, r *http.Request, act func(p service.Principal, org, id string) error) {
	page := adminPageOf(r)
	if err := act(principalOf(r), page.Org, chi.URLParam(r, "id")); err != nil {
		writePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/admin/orgs/"+url.PathEscape(page.Org)+"/answers", http.StatusSeeOther)
}
