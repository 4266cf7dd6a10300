package model

// Blocks is the instance's moderation as visibility needs it: whether an
// IRI, or its server, is blocked. *store.Tx implements it
// (store/blocks.go IsBlocked).
type Blocks interface {
	IsBlocked(iri string) bool
}

// What a block hides, decided here once for the pages, the directory, the
// feeds, counts and collections, next to the audience rule of VisibleTo
// (audience.go): a block hides content, it does not delete it, so lifting
// the block shows it again.

// HiddenBy reports whether blocks hide o: a received object while its
// author or its server is blocked. Local objects never are.
func (o Object) HiddenBy(b Blocks) bool {
	return !o.Local && (b.IsBlocked(o.AttributedTo) || b.IsBlocked(o.ID))
}

// HiddenBy reports whether blocks hide a, or its server.
func (a Actor) HiddenBy(b Blocks) bool { return b.IsBlocked(a.ID) }

// HiddenBy reports whether blocks hide r: while its author, or its
// author's server, is blocked.
func (r Reply) HiddenBy(b Blocks) bool { return b.IsBlocked(r.Actor) }
