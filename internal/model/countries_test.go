package model

import (
	"slices"
	"strings"
	"testing"
)

func TestCountryList(t *testing.T) {
	codes := strings.Fields(isoCountries)
	if len(codes) != 250 || !slices.IsSorted(codes) {
		t.Fatalf("%d codes (sorted: %v), want 249 ISO codes and XK, sorted", len(codes), slices.IsSorted(codes))
	}
	for _, c := range codes {
		if !IsCountryCode(c) || !IsCountryCode(strings.ToLower(c)) {
			t.Errorf("IsCountryCode(%q) = false", c)
		}
	}
	for _, c := range []string{"", "F", "FRA", "XX", "UK", "EL", "R ", " F", "F1", "é"} {
		if IsCountryCode(c) {
			t.Errorf("IsCountryCode(%q) = true", c)
		}
	}
}
