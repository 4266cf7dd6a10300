package service

import (
	"context"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// Held sums up what an instance holds from the others: the demo
// (internal/demo) waits on it for its network to form.
type Held struct {
	Follows, Accepted int // follows sent by every local actor, and those accepted
	RemoteOrgs        int // remote organisations known with their profile
	RemoteObjects     int // remote projects and calls held (live, of a known kind)
}

// Held reads Held in one transaction; a failing read counts what was read
// before it.
func (s *Service) Held(ctx context.Context) (Held, error) {
	var h Held
	err := s.store.View(func(tx *store.Tx) error {
		// The follows sent, not every organisation decoded: an importing
		// instance holds thousands.
		err := tx.EachLocalFollow(func(_ string, f model.Following) (bool, error) {
			h.Follows++
			if f.State == model.FollowAccepted {
				h.Accepted++
			}
			return true, nil
		})
		if err != nil {
			return err
		}
		actors, err := tx.Actors()
		if err != nil {
			return err
		}
		for _, a := range actors {
			if a.Type == "Organization" && a.Profile != nil {
				h.RemoteOrgs++
			}
		}
		objects, err := tx.Objects()
		for _, o := range objects {
			if !o.Local && !o.IsDeleted() && o.Kind.Valid() {
				h.RemoteObjects++
			}
		}
		return err
	})
	return h, err
}
