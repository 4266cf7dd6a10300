package federation

import (
	"slices"

	"codeberg.org/maillage/maillage/internal/model"
)

// asToAliases reads an actor's alsoKnownAs: an IRI, an object with an id,
// or an array of these (Mastodon writes an array of IRIs,
// actor_serializer.rb). Entries that are not actor IRIs are skipped, and
// at most model.MaxAliases are kept: a Move is followed only when its
// target lists the old actor, so an actor lists the few it moved from.
func asToAliases(v any) []string {
	var out []string
	for _, a := range addresses(v) {
		if len(out) == model.MaxAliases {
			break
		}
		if model.IsActorIRI(a) && !slices.Contains(out, a) {
			out = append(out, a)
		}
	}
	return out
}
