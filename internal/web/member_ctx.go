package web

import (
	"net/http"
	"strings"

	"codeberg.org/maillage/maillage/internal/service"
)

// memberCtx is what pages need to offer the signed-in account its
// actions on what it sees (issue #12): the state of its follows, for the
// Follow buttons, and the organisations it may answer calls for. Nil for a
// visitor. The service checks again when the action is taken.
type memberCtx struct {
	User      string
	Self      string            // the account's own Person actor
	states    map[string]string // followed actor IRI → model.FollowPending or FollowAccepted
	answerFor []string          // actor IRIs of the organisations it may propose answers for
	back      string            // the page to come back to after a follow
}

// followButton is a Follow button and its state, for the "follow_button"
// partial.
type followButton struct {
	Target, State, Back string
}

// memberOf is r's signed-in account as memberCtx, or nil.
func (h *Handler) memberOf(r *http.Request) *memberCtx {
	acc, ok := h.kit.SessionAccount(r)
	if !ok || acc.Disabled {
		return nil
	}
	p := service.AccountPrincipal(acc)
	m := &memberCtx{User: acc.Username, back: r.URL.RequestURI()}
	if name, err := h.svc.MemberActor(r.Context(), acc.Username); err == nil {
		m.Self = h.uris.Actor(name)
	}
	states, err := h.svc.FollowStates(r.Context(), p, acc.Username)
	if err != nil {
		h.log.Error("follow states", "err", err)
	}
	m.states = states
	orgs, err := h.svc.Orgs(r.Context())
	if err != nil {
		h.log.Error("list orgs", "err", err)
	}
	for _, o := range orgs {
		if !o.Instance && service.Can(acc, service.ActProposeAnswer, o.Name) {
			m.answerFor = append(m.answerFor, h.uris.Actor(o.Name))
		}
	}
	return m
}

// Follow is the button to follow target, in its state; none for the
// account's own actor.
func (m *memberCtx) Follow(target string) *followButton {
	if m == nil || target == "" || target == m.Self {
		return nil
	}
	return &followButton{Target: target, State: m.states[target], Back: m.back}
}

// CanAnswer reports whether the account may propose an answer to a call
// of the organisation callOrg: for one of its organisations but that one.
func (m *memberCtx) CanAnswer(callOrg string) bool {
	if m == nil {
		return false
	}
	for _, a := range m.answerFor {
		if a != callOrg {
			return true
		}
	}
	return false
}

// localBack is back if it is a path on this instance, else "".
func localBack(back string) string {
	if !strings.HasPrefix(back, "/") || strings.HasPrefix(back, "//") || strings.HasPrefix(back, "/\\") {
		return ""
	}
	return back
}
