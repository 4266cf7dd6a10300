package web

import (
	"net/http"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
)

// profileForm is the member's display name and bio on /me/settings: its
// Person actor's name and summary, shown where the member appears.
type profileForm struct {
	DisplayName, Bio string
	MaxName, MaxBio  int
	Errors           webkit.FieldErrors
	Saved            bool
}

func (h *Handler) fillMeProfile(r *http.Request, f *profileForm) error {
	p, err := h.svc.MemberProfile(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context()))
	if err != nil {
		return err
	}
	f.DisplayName, f.Bio, f.MaxName, f.MaxBio = p.DisplayName, p.Bio, model.MaxName, model.MaxSummary
	return nil
}

// saveMeProfile saves the name and bio; the service federates them.
func (h *Handler) saveMeProfile(w http.ResponseWriter, r *http.Request) {
	if !webkit.ReadForm(w, r) {
		return
	}
	in := service.MemberProfile{DisplayName: r.PostFormValue("display_name"), Bio: r.PostFormValue("bio")}
	err := h.svc.SetMemberProfile(r.Context(), webkit.PrincipalOf(r), webkit.UserOf(r.Context()), in)
	if errs, ok := h.kit.ValidationErrors(r, err); ok {
		v := meSettingsView{Profile: profileForm{DisplayName: in.DisplayName, Bio: in.Bio, MaxName: model.MaxName,
			MaxBio: model.MaxSummary, Errors: errs}}
		if err := h.fillMeSettings(r, &v); err != nil {
			webkit.WritePageError(w, h.log, err)
			return
		}
		h.renderMeSettings(w, r, http.StatusUnprocessableEntity, v)
		return
	}
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	http.Redirect(w, r, "/me/settings?profile", http.StatusSeeOther)
}
