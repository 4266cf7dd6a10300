package web

import "codeberg.org/maillage/maillage/internal/directory"

// entryActions are what a directory card offers besides its link: this
// instance's page of a remote project or call, and for a signed-in
// account, answering an open call and following an organisation.
type entryActions struct {
	Entry  directory.Entry
	Member *memberCtx
}

// Actions are the actions of the card of e.
func (d directoryView) Actions(e directory.Entry) entryActions {
	return entryActions{Entry: e, Member: d.Member}
}

// CanAnswer reports whether the card offers to answer its call.
func (a entryActions) CanAnswer() bool {
	e := a.Entry
	return e.Kind == directory.KindCall && e.Status == "open" && a.Member.CanAnswer(e.Org)
}

// ReadHere reports whether the card links to this instance's page of a
// received project or call.
func (a entryActions) ReadHere() bool { return !a.Entry.Local && a.Entry.Kind != directory.KindOrg }

// Follow is the Follow button of an organisation's card.
func (a entryActions) Follow() *followButton {
	if a.Entry.Kind != directory.KindOrg {
		return nil
	}
	return a.Member.Follow(a.Entry.ID)
}
