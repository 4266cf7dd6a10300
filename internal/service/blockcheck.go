package service

import (
	"context"
	"fmt"
	"slices"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// BlockPreview is what blocking a target would do, for the page that asks
// to confirm it.
type BlockPreview struct {
	model.Block // Created is zero
	// Already: the target is blocked already (blocking changes nothing).
	Already bool
	// Followers are the followers of our actors the block removes.
	Followers int
}

// PreviewBlock reads target as Block does, without blocking: the block it
// names, or the same validation error.
func (s *Service) PreviewBlock(ctx context.Context, p Principal, target string) (BlockPreview, error) {
	var out BlockPreview
	if err := authorize(p, ActModerate, ""); err != nil {
		return out, fmt.Errorf("preview block: %w", err)
	}
	err := s.store.View(func(tx *store.Tx) error {
		b, err := s.blockOf(tx, target)
		if err != nil {
			return err
		}
		out.Block = b.Block
		if _, err := tx.Block(b.Target); err == nil {
			out.Already = true
			return nil
		}
		// Names only: an importing instance holds thousands of organisations.
		for _, name := range tx.LocalNames() {
			fs, err := tx.Followers(name)
			if err != nil {
				return err
			}
			for _, f := range fs {
				if blockMatches(b.Block, f.Actor) {
					out.Followers++
				}
			}
		}
		return nil
	})
	if err != nil {
		return out, fmt.Errorf("preview block %s: %w", target, err)
	}
	return out, nil
}

// blockMatches reports whether b covers the actor iri, as tx.IsBlocked
// would once b is stored.
func blockMatches(b model.Block, iri string) bool {
	if b.Kind == model.BlockActor {
		return iri == b.Target
	}
	return slices.Contains(store.BlockHosts(iri), b.Target)
}
