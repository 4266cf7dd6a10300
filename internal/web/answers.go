package web

import (
	"net/http"
	"net/url"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// answerForm is the form to propose an answer to a call for one of the
// signed-in account's organisations.
type answerForm struct {
	Call       string
	Org        string // local name
	OrgName    string // display name
	Roles      []string
	Role, Text string
	Errors     webkit.FieldErrors
	MaxText    int
}

// answerForms are the forms the account of r may fill for the call o: one
// per local organisation it may propose answers for, but the caller's.
// None without a session, or when the call is not open.
func (h *Handler) answerForms(r *http.Request, o model.Object) []answerForm {
	if o.Kind != model.KindCall || o.IsDeleted() || !o.CallState().IsOpen(h.now()) {
		return nil
	}
	acc, ok := h.kit.SessionAccount(r)
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
	acc, ok := h.kit.SessionAccount(r)
	if !ok {
		http.Redirect(w, r, "/login?next="+url.QueryEscape("/answer?call="+url.QueryEscape(iri)), http.StatusSeeOther)
		return
	}
	o, err := h.svc.ObjectFor(r.Context(), service.AccountPrincipal(acc), iri) // a call not addressed to the account is not found
	if err == nil && (o.Kind != model.KindCall || o.IsDeleted()) {
		err = service.ErrNotFound
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
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
	h.kit.Render(w, r, status, "answer", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "answers.page.title", o.Title), Data: v})
}

// proposeAnswer creates a draft from a form, then goes back to the
// answer page, which says so.
func (h *Handler) proposeAnswer(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	acc, ok := h.kit.SessionAccount(r)
	if !ok {
		http.Redirect(w, r, "/login", http.StatusSeeOther)
		return
	}
	f := answerForm{Call: r.PostForm.Get("call"), Org: r.PostForm.Get("org"), Role: r.PostForm.Get("role"),
		Text: r.PostForm.Get("text"), MaxText: service.MaxAnswerText}
	_, err := h.svc.ProposeAnswer(r.Context(), service.AccountPrincipal(acc), f.Org, f.Call, f.Role, f.Text)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		f.Errors = errs
		h.renderAnswer(w, r, http.StatusUnprocessableEntity, f.Call, &f)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/answer?drafted=1&call="+url.QueryEscape(f.Call), http.StatusSeeOther)
}
