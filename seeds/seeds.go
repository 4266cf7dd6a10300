package seeds

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

//go:embed examples.json
var examplesJSON []byte

//go:embed profiles.json
var profilesJSON []byte

// Examples returns the named example projects and calls.
func Examples() (map[string]service.ObjectInput, error) {
	var m map[string]service.ObjectInput
	if err := json.Unmarshal(examplesJSON, &m); err != nil {
		return nil, fmt.Errorf("seeds: examples.json: %w", err)
	}
	return m, nil
}

// Example returns one named example; it panics on an unknown name, which
// is a mistake in a test.
func Example(name string) service.ObjectInput {
	m, err := Examples()
	if err != nil {
		panic(err)
	}
	in, ok := m[name]
	if !ok {
		panic("seeds: no example " + name)
	}
	return in
}

// Profiles returns the named example organisation profiles.
func Profiles() (map[string]model.Profile, error) {
	var m map[string]model.Profile
	if err := json.Unmarshal(profilesJSON, &m); err != nil {
		return nil, fmt.Errorf("seeds: profiles.json: %w", err)
	}
	return m, nil
}

// Profile returns one named example profile; it panics on an unknown name.
func Profile(name string) model.Profile {
	m, err := Profiles()
	if err != nil {
		panic(err)
	}
	p, ok := m[name]
	if !ok {
		panic("seeds: no profile " + name)
	}
	return p
}
