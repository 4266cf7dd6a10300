package fold

import (
	"slices"
	"testing"
)

func TestString(t *testing.T) {
	for in, want := range map[string]string{
		"Économie sociale": "economie sociale",
		"ŒUVRE":            "oeuvre",
		"Łódź":             "lodz",
		"Straße":           "strasse",
		"Malmö":            "malmo",
		"Þórshöfn":         "thorshofn",
		"Ærø":              "aero",
		"l’atelier":        "l'atelier",
		"Besançon":         "besancon",
		"plain ASCII":      "plain ascii",
		"":                 "",
	} {
		if got := String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWords(t *testing.T) {
	if got, want := Words("Saint-Étienne, l’Agriculture & Alimentation (2)"), []string{"saint", "etienne", "l", "agriculture", "alimentation", "2"}; !slices.Equal(got, want) {
		t.Errorf("Words = %q, want %q", got, want)
	}
}
