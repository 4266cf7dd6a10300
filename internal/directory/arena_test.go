package directory

import (
	"testing"

	"codeberg.org/maillage/maillage/internal/fold"
)

func TestFoldPatch(t *testing.T) {
	cache := map[rune]string{}
	for _, s := range []string{"", "déjà", "Coopérative Énergie citoyenne Lyon", "ŒUVRE Straße Łódź", "plain words",
		"ABC", "e\u0301te\u0301", "Θεσσαλονίκη", "a\u0323\u0301", "\xff\xfe bad", "l’Atelier", "Nous cherchons des partenaires pour vélo cargo"} {
		folded, patch := foldPatch(s, nil)
		if f2, p2 := foldPatch(s, cache); f2 != folded || string(p2) != string(patch) {
			t.Errorf("%q: with the rune cache %q %v, without %q %v", s, f2, p2, folded, patch)
		}
		if folded != fold.String(s) {
			t.Errorf("%q: folded %q, want %q", s, folded, fold.String(s))
		}
		if got := unfold([]byte(folded), patch); got != s {
			t.Errorf("%q: unfolded %q (patch %v)", s, got, patch)
		}
		if patch != nil && patch[0] == 0 && len(patch) >= len(s) {
			t.Errorf("%q: patch of %d bytes", s, len(patch))
		}
	}
	// Case and accents alone make a patch, not a copy of the text.
	for _, s := range []string{"Coopérative Énergie citoyenne Lyon", "Nous cherchons des partenaires pour vélo cargo"} {
		if _, patch := foldPatch(s, nil); len(patch) == 0 || patch[0] != 0 || len(patch) > len(s)/2 {
			t.Errorf("%q: patch %q", s, patch)
		}
	}
}
