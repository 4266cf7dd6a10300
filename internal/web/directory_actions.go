package web

import "codeberg.org/maillage/maillage/internal/directory"

// entryActions are what a directory card offers besides its link: this
// instance's page of a remote project or call (ReadHere), and for a
// signed-in account, answering an open call (CanAnswer) and following an
// organisation (Follow, nil for none).
type entryActions struct {
	Entry               directory.Entry
	ReadHere, CanAnswer bool
	Follow              *followButton
}

// actionsOf are the actions of the card of e, for the account m (nil for
// a visitor).
func actionsOf(e directory.Entry, m *memberCtx) entryActions {
	a := entryActions{Entry: e,
		ReadHere:  !e.Local && e.Kind != directory.KindOrg,
		CanAnswer: e.Kind == directory.KindCall && e.Status == "open" && m.CanAnswer(e.Org)}
	if e.Kind == directory.KindOrg {
		a.Follow = m.Follow(e.ID)
	}
	return a
}
