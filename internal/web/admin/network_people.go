package admin

import (
	"strings"
	"unicode"

	"codeberg.org/maillage/maillage/internal/model"
)

// describeActor fills what the network lists show of a known remote actor,
// so that an administrator knows whom they approve: its name, its avatar
// from this instance's cache of remote images (never from its server,
// which would learn who reads the page; until cached, its initials, and
// the icon is queued) and, for a maillage organisation, its sectors.
func (h *Handler) describeActor(it *adminActorItem, a model.Actor) {
	if a.IconURL != "" && h.images != nil {
		if _, thumb, ok := h.images.Lookup(a.IconURL); ok {
			it.Avatar = thumb
		} else {
			h.images.Want(a.IconURL)
		}
	}
	it.Name = a.Name
	if a.Profile != nil {
		if it.Name == "" {
			it.Name = a.Profile.DisplayName
		}
		it.Sectors = a.Profile.Sectors
	}
	it.Initials = initials(it.Name, a.Username)
}

// initials are the first letters of the first two words of name (or of
// username), upper-cased: "Valley Mobility" gives "VM".
func initials(name, username string) string {
	var out []rune
	for _, w := range strings.FieldsFunc(name, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		out = append(out, unicode.ToUpper([]rune(w)[0]))
		if len(out) == 2 {
			break
		}
	}
	if len(out) == 0 {
		for _, r := range username {
			if unicode.IsLetter(r) || unicode.IsDigit(r) {
				return string(unicode.ToUpper(r))
			}
		}
		return "?"
	}
	return string(out)
}

// labelSectors gives the items' sectors their names in lang.
func (h *Handler) labelSectors(lang string, items []adminActorItem) {
	for i := range items {
		for _, s := range items[i].Sectors {
			if model.IsSector(s) {
				items[i].SectorLabels = append(items[i].SectorLabels, h.tr.T(lang, "sector."+s))
			}
		}
	}
}
