package service

import (
	"context"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// Every path that shows a received object to an account (home feed,
// notifications and what is built from them: /me, the secret Atom feed,
// digests, reminders) asks canSee; anonymous and listing paths (pages,
// directory, feeds, exports) keep model.Object.IsPublic objects only. Both
// end in model.Object.VisibleTo.

// viewer is username's Person actor looking at objects by author.
func (s *Service) viewer(tx *store.Tx, username, author string) model.Viewer {
	name := model.PersonName(username)
	f, err := tx.Following(name, author)
	return model.Viewer{Actor: s.uris.Actor(name), FollowsAuthor: err == nil && f.State == model.FollowAccepted}
}

// canSee reports whether account username may see o.
func (s *Service) canSee(tx *store.Tx, username string, o model.Object) bool {
	return o.IsPublic() || o.VisibleTo(s.viewer(tx, username, o.AttributedTo))
}

// ObjectFor returns object id as p's account may see it: ErrNotFound when
// it is not stored or not addressed to the account (a principal without an
// account sees public objects only).
func (s *Service) ObjectFor(ctx context.Context, p Principal, id string) (model.Object, error) {
	username := p.Username()
	var o model.Object
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		if o, err = tx.Object(id); err != nil {
			return err
		}
		if !s.canSee(tx, username, o) {
			return fmt.Errorf("object %s for %s: %w", id, username, ErrNotFound)
		}
		return nil
	})
	return o, err
}
