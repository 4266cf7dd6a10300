package importer

import (
	"errors"
	"strings"
	"testing"
)

func TestCrosswalkBuiltin(t *testing.T) {
	c := DefaultCrosswalk()
	for _, tc := range []struct {
		label string
		want  []string
	}{
		// Transiscope's 8 themes, as spelled in its taxonomy and in others.
		{"Écologie, alimentation et énergie", []string{"food-agriculture", "energy", "water-natural-resources"}},
		{"écologie, alimentation, énergie", []string{"food-agriculture", "energy", "water-natural-resources"}},
		{"culture, medias et lien social", []string{"culture-media", "citizenship-local-development"}},
		{"BIEN-ÊTRE PHYSIQUE ET PERSONNEL", []string{"health-care"}},
		{"Citoyenneté, droits, solidarités", []string{"citizenship-local-development", "health-care"}},
		{"éducation, formation", []string{"education-training"}},
		{"Habitat et urbanisme", []string{"housing"}},
		{"modes de déplacements", []string{"mobility"}},
		{"Economie Sociale et Solidaire", []string{"ess-support"}},
		// Carteco's 6 themes.
		{"Gestion des ressources et déchets", []string{"circular-economy"}},
		{"Agriculture et alimentation durables", []string{"food-agriculture"}},
		{"Bâtiment durable", []string{"housing"}},
		{"Mobilité responsable", []string{"mobility"}},
		{"Education a l'environnement", []string{"education-training"}},
		{"Accompagner la transition", []string{"ess-support"}},
		// GoGoCarto's demo categories.
		{"Agriculture & Alimentation", []string{"food-agriculture"}},
		{"agriculture et alimentation", []string{"food-agriculture"}},
		{"Sortie & Culture", []string{"culture-media"}},
		{"Economie & Finance", []string{"finance"}},
		{"Voyages", []string{"culture-media"}},
		// maillage's own slugs and labels.
		{"circular-economy", []string{"circular-economy"}},
		{"Énergie", []string{"energy"}},
		{"Digital, telecoms & cloud", []string{"digital"}},
	} {
		got, ok := c.Lookup(tc.label)
		if !ok || !equalStrings(got, tc.want) {
			t.Errorf("Lookup(%q) = %v, %v; want %v", tc.label, got, ok, tc.want)
		}
	}
	for _, label := range []string{"Mode & Beauté", "Tiers-lieux", "Magasins, commerces", ""} {
		if got, ok := c.Lookup(label); ok {
			t.Errorf("Lookup(%q) = %v: a guess", label, got)
		}
	}
}

func TestCrosswalkSectorsFor(t *testing.T) {
	c := DefaultCrosswalk()
	slugs, unmapped, note := c.sectorsFor([][]string{
		{"Habitat", "Ressourcerie"},           // deepest mapped label: circular-economy
		{"Habitat", "Animaux"},                // falls back on Habitat: housing
		{"Mode & Beauté", "Seconde main"},     // nothing mapped
		{"Gestion des ressources et déchets"}, // circular-economy again, so first
	})
	if !equalStrings(slugs, []string{"circular-economy", "housing"}) {
		t.Errorf("slugs = %v", slugs)
	}
	if !equalStrings(unmapped, []string{"Mode & Beauté > Seconde main"}) || note != "" {
		t.Errorf("unmapped = %q, note %q", unmapped, note)
	}
	slugs, _, note = c.sectorsFor([][]string{{"Écologie, alimentation et énergie"}, {"Mobilité"}, {"Finance éthique"}})
	if len(slugs) != 3 || !strings.Contains(note, "5 sectors found") {
		t.Errorf("more than three sectors: %v, note %q", slugs, note)
	}
}

func TestCrosswalkMappingFile(t *testing.T) {
	c, err := DefaultCrosswalk().WithMapping(open(t, "mapping.txt"))
	if err != nil {
		t.Fatal(err)
	}
	if got, _ := c.Lookup("tiers lieux"); !equalStrings(got, []string{"citizenship-local-development", "culture-media"}) {
		t.Errorf("Tiers-lieux = %v", got)
	}
	if got, ok := c.Lookup("Mode et beauté"); !ok || len(got) != 0 {
		t.Errorf("deliberately unmapped label: %v, %v", got, ok)
	}
	if _, ok := DefaultCrosswalk().Lookup("Tiers-lieux"); ok {
		t.Error("WithMapping changed the crosswalk it was called on")
	}
	b := parseFile(t, "gogocarto-elements.json", Options{
		Format: FormatGoGoCarto, Taxonomy: taxonomy(t, "gogocarto-taxonomy.json"), Crosswalk: c,
	})
	for _, u := range b.Unmapped {
		if u.Category == "Mode & Beauté" {
			t.Error("a label mapped to - is still reported as unmapped")
		}
	}

	for _, tc := range []struct{ in, want string }{
		{"Tiers-lieux\n", "line 1"},
		{"# ok\n\nA = energy\nB = nonsense\n", `line 4: unknown sector "nonsense"`},
		{"= energy\n", "line 1"},
		{"A = energy housing finance digital\n", "1 to 3"},
		{"A =\n", "1 to 3"},
	} {
		_, err := DefaultCrosswalk().WithMapping(strings.NewReader(tc.in))
		if !errors.Is(err, ErrFormat) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("WithMapping(%q) = %v, want %q", tc.in, err, tc.want)
		}
	}
	big := strings.Repeat("# padding padding padding padding padding padding\n", MaxMappingBytes/50+10)
	if _, err := DefaultCrosswalk().WithMapping(strings.NewReader(big)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("oversized mapping file: %v", err)
	}
}
