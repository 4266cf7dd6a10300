package gazetteer

import (
	"strings"

	"codeberg.org/maillage/maillage/internal/fold"
)

// nameKey is the form names are compared in: folded (package fold) words
// joined by one space, so that "saint etienne" finds "Saint-Étienne".
func nameKey(s string) string { return strings.Join(fold.Words(s), " ") }
