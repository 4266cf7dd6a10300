package service

import (
	"context"
	"errors"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// NewAnswersWindow is how recent an answer to a call must be to count as
// new on the dashboard.
const NewAnswersWindow = 7 * 24 * time.Hour

// OrgCounts are what an organisation publishes and what waits for its
// administrators, for the dashboard.
type OrgCounts struct {
	Projects, Calls, OpenCalls int
	// NewAnswers are the replies its calls received in the last
	// NewAnswersWindow (but its own and those of blocked actors).
	NewAnswers int
	// Drafts are answers to calls its members proposed, waiting to be
	// sent or withdrawn.
	Drafts int
	// FollowRequests wait for approval (manual approval on).
	FollowRequests int
}

// OrgCounts counts, in one read, what org publishes and what waits for
// its administrators.
func (s *Service) OrgCounts(ctx context.Context, p Principal, org string) (OrgCounts, error) {
	var c OrgCounts
	if err := authorize(p, ActReadAdmin, org); err != nil {
		return c, fmt.Errorf("counts of %s: %w", org, err)
	}
	now := s.Now()
	since := now.Add(-NewAnswersWindow)
	actor := s.uris.Actor(org)
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := s.localOrg(tx, org); err != nil {
			return err
		}
		objs, err := tx.ObjectsBy(actor, 0)
		if err != nil {
			return err
		}
		for _, o := range objs {
			switch {
			case o.IsDeleted():
			case o.Kind == model.KindProject:
				c.Projects++
			case o.Kind == model.KindCall:
				c.Calls++
				if o.CallState().IsOpen(now) {
					c.OpenCalls++
				}
				replies, err := tx.Replies(o.ID)
				if err != nil {
					return err
				}
				for _, r := range replies {
					if r.Received.After(since) && r.Actor != actor && !r.HiddenBy(tx) {
						c.NewAnswers++
					}
				}
			}
		}
		answers, err := tx.Answers(org)
		if err != nil {
			return err
		}
		for _, a := range answers {
			if a.Status == store.AnswerDraft {
				c.Drafts++
			}
		}
		followers, err := tx.Followers(org)
		if err != nil {
			return err
		}
		for _, f := range followers {
			if f.Pending {
				c.FollowRequests++
			}
		}
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("counts of %s: %w", org, err)
	}
	return c, nil
}

// OpenReports counts the reports received from other servers that no one
// has dismissed yet.
func (s *Service) OpenReports(ctx context.Context, p Principal) (int, error) {
	reports, err := s.Reports(ctx, p)
	n := 0
	for _, r := range reports {
		if !r.Local && r.Dismissed.IsZero() {
			n++
		}
	}
	return n, err
}

// DismissReport closes a received report: it stays listed, marked
// dismissed, and no longer counts as waiting.
func (s *Service) DismissReport(ctx context.Context, p Principal, id uint64) error {
	if err := authorize(p, ActModerate, ""); err != nil {
		return fmt.Errorf("dismiss report %d: %w", id, err)
	}
	err := s.store.Update(func(tx *store.Tx) error {
		_, err := tx.DismissReport(id, s.Now())
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("report %d: %w", id, ErrNotFound)
		}
		return err
	})
	if err != nil {
		return fmt.Errorf("dismiss report %d: %w", id, err)
	}
	s.log.Info("report dismissed", "report", id)
	return nil
}
