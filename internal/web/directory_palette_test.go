package web

import (
	"math"
	"strconv"
	"testing"

	"codeberg.org/maillage/maillage/internal/model"
)

// luminance is the relative luminance of "#rrggbb" (WCAG 2.1).
func luminance(t *testing.T, hex string) float64 {
	t.Helper()
	v, err := strconv.ParseUint(hex[1:], 16, 32)
	if err != nil || len(hex) != 7 {
		t.Fatalf("colour %q", hex)
	}
	ch := func(c uint64) float64 {
		s := float64(c) / 255
		if s <= 0.04045 {
			return s / 12.92
		}
		return math.Pow((s+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(v>>16&255) + 0.7152*ch(v>>8&255) + 0.0722*ch(v&255)
}

func contrast(t *testing.T, a, b string) float64 {
	la, lb := luminance(t, a), luminance(t, b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

// TestMarkerPalette checks that every sector has a colour, that white
// counts read on each (4.5:1, WCAG 2.1 SC 1.4.3) and that each stands out
// from the land and the sea of the base map (3:1, SC 1.4.11).
func TestMarkerPalette(t *testing.T) {
	fills := map[string]string{"mixed": mixedFill}
	for _, s := range model.Sectors {
		f, ok := sectorFill[s.Slug]
		if !ok {
			t.Errorf("sector %s has no colour", s.Slug)
		}
		fills[s.Slug] = f
	}
	for name, f := range fills {
		for bg, min := range map[string]float64{"#ffffff": 4.5, "#f3f1ea": 3, "#dbe9f1": 3, "#e2dcc8": 3} {
			if c := contrast(t, f, bg); c < min {
				t.Errorf("%s %s on %s: contrast %.2f, want %.1f", name, f, bg, c, min)
			}
		}
	}
}
