package model

import "testing"

// blockSet blocks the IRIs and hosts it holds (store.Tx also matches an
// IRI by its host; a map is enough here).
type blockSet map[string]bool

func (b blockSet) IsBlocked(iri string) bool { return b[iri] }

func TestHiddenBy(t *testing.T) {
	author, obj := "https://b.example/orgs/beta", "https://b.example/objects/1"
	blocks := func(iris ...string) blockSet {
		b := blockSet{}
		for _, i := range iris {
			b[i] = true
		}
		return b
	}
	tests := []struct {
		name   string
		o      Object
		blocks blockSet
		want   bool
	}{
		{"remote, nothing blocked", Object{ID: obj, AttributedTo: author}, blocks(), false},
		{"remote, author blocked", Object{ID: obj, AttributedTo: author}, blocks(author), true},
		{"remote, its own IRI (server) blocked", Object{ID: obj, AttributedTo: author}, blocks(obj), true},
		{"local, author blocked", Object{ID: obj, AttributedTo: author, Local: true}, blocks(author, obj), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.HiddenBy(tt.blocks); got != tt.want {
				t.Errorf("HiddenBy = %t, want %t", got, tt.want)
			}
		})
	}
	if !(Actor{ID: author}).HiddenBy(blocks(author)) || (Actor{ID: author}).HiddenBy(blocks()) {
		t.Errorf("Actor.HiddenBy does not follow the block of the actor")
	}
	if !(Reply{Actor: author}).HiddenBy(blocks(author)) || (Reply{Actor: author}).HiddenBy(blocks()) {
		t.Errorf("Reply.HiddenBy does not follow the block of its author")
	}
}
