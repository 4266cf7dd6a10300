package directory

import (
	"slices"
	"testing"

	"codeberg.org/maillage/maillage/internal/fold"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Énergie", "energie"},
		{"ENERGIE", "energie"},
		{"Économie sociale et solidaire", "economie sociale et solidaire"},
		{"Œuvre, cœur", "oeuvre, coeur"},
		{"Straße", "strasse"},
		{"Genossenschaft für Bürgerenergie", "genossenschaft fur burgerenergie"},
		{"Cooperação", "cooperacao"},
		{"l’économie", "l'economie"},
		{"Łódź", "lodz"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := fold.String(tt.in); got != tt.want {
			t.Errorf("fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWords(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"  Énergie  citoyenne ", []string{"energie", "citoyenne"}},
		{"« l’habitat », (vélo)", []string{"l'habitat", "velo"}},
		{"- , ;", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := words(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("words(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
