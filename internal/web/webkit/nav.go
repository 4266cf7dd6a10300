package webkit

import (
	"net/http"

	"codeberg.org/maillage/maillage/internal/service"
)

// Nav is what the header offers the reader, by role (issue #12): a visitor
// is offered to sign in; every signed-in account has its area (/me); only
// those who may read administration pages (editors, administrators) see
// the link to them. Hiding the link is not the check: every admin page
// asks the service.
type Nav struct {
	SignedIn bool
	User     string
	Admin    bool
}

// navOf is the header of r's reader.
func (k *Kit) navOf(r *http.Request) Nav {
	acc := AccountOf(r.Context())
	if acc.Username == "" {
		var ok bool
		if acc, ok = k.SessionAccount(r); !ok {
			return Nav{}
		}
	}
	if acc.Disabled {
		return Nav{}
	}
	return Nav{SignedIn: true, User: acc.Username, Admin: service.Can(acc, service.ActReadAdmin, "")}
}
