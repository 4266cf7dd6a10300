package model

import (
	"net/url"
	"slices"
	"time"
)

// Bounds of moving an organisation (FEDERATION.md, "Moving an organisation").
const (
	// MaxAliases bounds an organisation's alsoKnownAs, ours and the
	// ones read from remote actors.
	MaxAliases = 10
	// MaxMoveHops is how many Moves one follow is carried through: an
	// actor that moves again and again, or a ring of accounts passing
	// followers along, stops being followed after that many.
	MaxMoveHops = 5
	// MaxIRI bounds an alias or a move target, as remote actors' IRIs.
	MaxIRI = 2048
)

// ValidateAliases checks the actor IRIs an organisation lists as its
// alsoKnownAs: absolute http(s) IRIs, none twice, not self, at most
// MaxAliases.
func ValidateAliases(self string, aliases []string) error {
	if len(aliases) > MaxAliases {
		return Invalid("also_known_as", "validation.move.aliases_max", MaxAliases)
	}
	for i, a := range aliases {
		if !IsActorIRI(a) {
			return Invalid("also_known_as", "validation.move.alias_iri")
		}
		if a == self {
			return Invalid("also_known_as", "validation.move.alias_self")
		}
		if slices.Contains(aliases[:i], a) {
			return Invalid("also_known_as", "validation.move.alias_twice")
		}
	}
	return nil
}

// IsActorIRI reports whether s can name an actor: an absolute http(s)
// IRI with a host, at most MaxIRI bytes, without a fragment.
func IsActorIRI(s string) bool {
	if len(s) > MaxIRI {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != "" && u.Fragment == "" && u.User == nil
}

// MoveRecord is a Move applied here: an organisation of ours that moved,
// or a remote actor whose local followers were moved to its target.
type MoveRecord struct {
	Origin     string    `json:"origin"`
	Target     string    `json:"target"`
	ActivityID string    `json:"activity_id"`
	Time       time.Time `json:"time"`
}
