package seeds

import (
	_ "embed"
	"encoding/json"
	"fmt"

	"codeberg.org/maillage/maillage/internal/service"
)

//go:embed examples.json
var examplesJSON []byte

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
