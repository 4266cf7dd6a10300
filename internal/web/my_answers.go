package web

import (
	"net/http"
	"net/url"

	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// myAnswersView is /me/answers: what the account drafted, and where each
// answer stands.
type myAnswersView struct {
	Answers   []myAnswer
	Withdrawn bool
}

type myAnswer struct {
	service.MyAnswer
	SentByName string
	CallPage   string // this instance's page of the call
}

func (h *Handler) showMyAnswers(w http.ResponseWriter, r *http.Request) {
	list, err := h.svc.MyAnswers(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context()))
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	var senders []string
	for _, a := range list {
		if a.SentBy != "" {
			senders = append(senders, a.SentBy)
		}
	}
	names := h.svc.MemberNames(r.Context(), senders...)
	v := myAnswersView{Withdrawn: r.URL.Query().Has("withdrawn")}
	for _, a := range list {
		it := myAnswer{MyAnswer: a, SentByName: a.SentBy, CallPage: "/object?id=" + url.QueryEscape(a.Call)}
		if n, ok := names[a.SentBy]; ok {
			it.SentByName = n
		}
		if h.uris.IsLocal(a.Call) {
			it.CallPage = a.Call
		}
		v.Answers = append(v.Answers, it)
	}
	h.kit.Render(w, r, http.StatusOK, "me_answers", webkit.Page{Title: h.tr.T(h.tr.Pick(r), "member.answers.title"), Data: v})
}

// withdrawMyAnswer withdraws one of the account's drafts; the service
// checks that it is the author's (or an editor's) and still a draft.
func (h *Handler) withdrawMyAnswer(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	org, id := r.PostForm.Get("org"), r.PostForm.Get("id")
	if err := h.svc.WithdrawDraft(r.Context(), webkit.PrincipalOf(r), org, id); err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me/answers?withdrawn", http.StatusSeeOther)
}
