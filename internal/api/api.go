package api

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/httperr"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/wire"
)

// maxAPIBody bounds admin API request bodies.
const maxAPIBody = 256 << 10

// requireToken lets through requests bearing a valid admin API token.
func (h *Handler) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || subtle.ConstantTimeEq(int32(len(token)), 0) == 1 || !h.svc.CheckToken(token) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="maillage"`)
			writeAPI(w, http.StatusUnauthorized, apiError{Error: "a valid admin token is required"})
			return
		}
		next.ServeHTTP(w, r.WithContext(withPrincipal(r.Context(), service.TokenPrincipal())))
	})
}

type principalKey struct{}

// withPrincipal records who the request acts for; the service checks what
// it may do.
func withPrincipal(ctx context.Context, p service.Principal) context.Context {
	return context.WithValue(ctx, principalKey{}, p)
}

// principalOf is who r acts for: the token's holder once requireToken let
// it through, else the zero Principal, which may do nothing.
func principalOf(r *http.Request) service.Principal {
	p, _ := r.Context().Value(principalKey{}).(service.Principal)
	return p
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) bool {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxAPIBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeAPI(w, http.StatusRequestEntityTooLarge, apiError{Error: "request body too large"})
			return false
		}
		writeAPI(w, http.StatusBadRequest, apiError{Error: "invalid JSON: " + err.Error()})
		return false
	}
	return true
}

// orgView is an organisation as the API shows it: never its keys.
type orgView = wire.Org

func (h *Handler) orgView(o model.Org) orgView {
	return wire.OrgOf(o, h.uris.Actor(o.Name), h.uris.Host())
}

func (h *Handler) apiOrgs(w http.ResponseWriter, r *http.Request) {
	req, ok := pageRequest(w, r)
	if !ok {
		return
	}
	orgs, err := h.svc.OrgsPage(r.Context(), req)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	// The verified mark is this instance's own check of each website.
	ids := make([]string, 0, len(orgs.Items))
	for _, o := range orgs.Items {
		ids = append(ids, h.uris.Actor(o.Name))
	}
	verified, err := h.svc.VerifiedWebsites(r.Context(), ids...)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	out := service.Page[orgView]{Items: make([]orgView, 0, len(orgs.Items)), Next: orgs.Next}
	for i, o := range orgs.Items {
		v := h.orgView(o)
		v.Verified = verified[ids[i]]
		out.Items = append(out.Items, v)
	}
	writePage(w, r, out)
}

func (h *Handler) apiCreateOrg(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name string `json:"name"`
		service.ProfileInput
	}
	if !decodeBody(w, r, &in) {
		return
	}
	o, err := h.svc.CreateOrg(r.Context(), principalOf(r), model.Org{Name: in.Name, Profile: in.Profile, ManualApprove: in.ManualApprove})
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusCreated, h.orgView(o))
}

func (h *Handler) apiUpdateOrg(w http.ResponseWriter, r *http.Request) {
	var in service.ProfileInput
	if !decodeBody(w, r, &in) {
		return
	}
	o, err := h.svc.UpdateProfile(r.Context(), principalOf(r), chi.URLParam(r, "org"), in)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, h.orgView(o))
}

func (h *Handler) apiObjects(w http.ResponseWriter, r *http.Request) {
	actor := r.URL.Query().Get("actor")
	if org := chi.URLParam(r, "org"); org != "" {
		actor = h.uris.Actor(org)
	}
	if actor == "" {
		writeAPI(w, http.StatusBadRequest, apiError{Error: "actor parameter required"})
		return
	}
	req, ok := pageRequest(w, r)
	if !ok {
		return
	}
	objs, err := h.svc.ObjectsPage(r.Context(), actor, req)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writePage(w, r, objs)
}

func (h *Handler) apiPublish(w http.ResponseWriter, r *http.Request) {
	var in service.ObjectInput
	if !decodeBody(w, r, &in) {
		return
	}
	o, err := h.svc.Publish(r.Context(), principalOf(r), chi.URLParam(r, "org"), in)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusCreated, o)
}

// objectIRI rebuilds a local object's IRI from the API path.
func (h *Handler) objectIRI(r *http.Request) string {
	return h.uris.ObjectOfPath(chi.URLParam(r, "org"), chi.URLParam(r, "kinds"), chi.URLParam(r, "id"))
}

func (h *Handler) apiEdit(w http.ResponseWriter, r *http.Request) {
	var in service.ObjectInput
	if !decodeBody(w, r, &in) {
		return
	}
	o, err := h.svc.Edit(r.Context(), principalOf(r), chi.URLParam(r, "org"), h.objectIRI(r), in)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, o)
}

// apiPatch changes only the fields the body names: a JSON merge patch
// (RFC 7396) onto the object's current input, where null removes a member
// (clears a field, or a translation). The merge happens in the service's
// write transaction. A patch that names no field is refused: it would only
// federate an Update that changes nothing.
func (h *Handler) apiPatch(w http.ResponseWriter, r *http.Request) {
	var patch map[string]any
	if !decodeBody(w, r, &patch) {
		return
	}
	if len(patch) == 0 {
		writeAPI(w, http.StatusBadRequest, apiError{Error: "the patch names no field to change"})
		return
	}
	raw, _ := json.Marshal(patch)
	var check service.ObjectInput // refuse unknown fields and bad values before the transaction
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&check); err != nil {
		writeAPI(w, http.StatusBadRequest, apiError{Error: "invalid JSON: " + err.Error()})
		return
	}
	o, err := h.svc.Patch(r.Context(), principalOf(r), chi.URLParam(r, "org"), h.objectIRI(r), func(in *service.ObjectInput) error {
		return mergeInto(in, patch)
	})
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusOK, o)
}

// mergeInto applies patch to in as RFC 7396 says, on in's JSON form.
func mergeInto(in *service.ObjectInput, patch map[string]any) error {
	cur, err := json.Marshal(in)
	if err != nil {
		return err
	}
	var doc map[string]any
	if err := json.Unmarshal(cur, &doc); err != nil {
		return err
	}
	merged, err := json.Marshal(mergePatch(doc, patch))
	if err != nil {
		return err
	}
	var out service.ObjectInput
	if err := json.Unmarshal(merged, &out); err != nil {
		return err
	}
	*in = out
	return nil
}

// mergePatch is RFC 7396, section 2: a patch object is merged member by
// member, null removes, anything else replaces.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
		} else {
			t[k] = mergePatch(t[k], v)
		}
	}
	return t
}

func (h *Handler) apiDelete(w http.ResponseWriter, r *http.Request) {
	if err := h.svc.Delete(r.Context(), principalOf(r), chi.URLParam(r, "org"), h.objectIRI(r)); err != nil {
		h.writeAPIError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) apiReplies(w http.ResponseWriter, r *http.Request) {
	req, ok := pageRequest(w, r)
	if !ok {
		return
	}
	p, err := h.svc.RepliesPage(r.Context(), h.objectIRI(r), req)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writePage(w, r, p)
}

func (h *Handler) apiFollowers(w http.ResponseWriter, r *http.Request) {
	req, ok := pageRequest(w, r)
	if !ok {
		return
	}
	p, err := h.svc.FollowersPage(r.Context(), chi.URLParam(r, "org"), req)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writePage(w, r, p)
}

func (h *Handler) apiFollowing(w http.ResponseWriter, r *http.Request) {
	req, ok := pageRequest(w, r)
	if !ok {
		return
	}
	p, err := h.svc.FollowingPage(r.Context(), chi.URLParam(r, "org"), req)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writePage(w, r, p)
}

type targetInput struct {
	Target string `json:"target"`
}

func (h *Handler) apiFollow(w http.ResponseWriter, r *http.Request) {
	var in targetInput
	if !decodeBody(w, r, &in) {
		return
	}
	f, err := h.svc.Follow(r.Context(), principalOf(r), chi.URLParam(r, "org"), in.Target)
	if err != nil {
		h.log.Info("follow failed", "target", in.Target, "err", err)
		if errs.Remote(err) {
			// Resolving a remote actor failed: the remote's fault, reported as such.
			writeAPI(w, httperr.Status(err), apiError{Error: "could not resolve " + in.Target})
			return
		}
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusAccepted, f)
}

func (h *Handler) apiUnfollow(w http.ResponseWriter, r *http.Request) {
	var in targetInput
	if !decodeBody(w, r, &in) {
		return
	}
	if err := h.svc.Unfollow(r.Context(), principalOf(r), chi.URLParam(r, "org"), in.Target); err != nil {
		h.writeAPIError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) apiReply(w http.ResponseWriter, r *http.Request) {
	var in struct {
		InReplyTo string `json:"in_reply_to"`
		Text      string `json:"text"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	rep, err := h.svc.Reply(r.Context(), principalOf(r), chi.URLParam(r, "org"), in.InReplyTo, in.Text)
	if err != nil {
		h.writeAPIError(w, err)
		return
	}
	writeAPI(w, http.StatusCreated, rep)
}

// apiApprove accepts or rejects a pending follow request of an
// organisation that approves followers by hand.
func (h *Handler) apiApprove(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Actor   string `json:"actor"`
		Approve bool   `json:"approve"`
	}
	if !decodeBody(w, r, &in) {
		return
	}
	if err := h.svc.ApproveFollower(r.Context(), principalOf(r), chi.URLParam(r, "org"), in.Actor, in.Approve); err != nil {
		h.writeAPIError(w, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}
