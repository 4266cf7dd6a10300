package webkit

import "net/http"

// savedNotices are what a form that succeeded says on the page it
// redirects to, by name: the i18n key of each. Only these names are
// shown, so a cookie cannot make a page say anything else.
var savedNotices = map[string]string{
	"published": "saved.published", "saved": "saved.saved", "profile": "saved.profile",
	"closed": "saved.closed", "deleted": "saved.deleted", "created": "saved.created",
	"followed": "saved.followed", "unfollowed": "saved.unfollowed",
	"approved": "saved.approved", "rejected": "saved.rejected",
	"blocked": "saved.blocked", "unblocked": "saved.unblocked", "reported": "saved.reported",
	"dismissed": "saved.dismissed", "account": "saved.account",
	"answer_sent": "saved.answer_sent", "answer_withdrawn": "saved.answer_withdrawn",
}

// savedCookie carries a notice from a form's POST to the page its
// redirect opens (POST-redirect-GET), which shows it once and clears it:
// the addresses stay those of the pages, and a link cannot carry one.
const savedCookie = "maillage_saved"

// Saved tells the next page rendered for this browser to say what the
// form did (name: a key of savedNotices); call it before the redirect.
func (k *Kit) Saved(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: savedCookie, Value: name, Path: "/", MaxAge: 60,
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteLaxMode})
}

// takeSaved returns the notice waiting for r in lang, and clears it.
func (k *Kit) takeSaved(w http.ResponseWriter, r *http.Request, lang string) string {
	c, err := r.Cookie(savedCookie)
	if err != nil {
		return ""
	}
	http.SetCookie(w, &http.Cookie{Name: savedCookie, Value: "", Path: "/", MaxAge: -1,
		HttpOnly: true, Secure: k.secure, SameSite: http.SameSiteLaxMode})
	if key, ok := savedNotices[c.Value]; ok {
		return k.tr.T(lang, key)
	}
	return ""
}
