package service

import (
	"context"
	"fmt"
	"slices"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// HomePageSize is how many items a page of the home feed holds.
const HomePageSize = 20

// HomeFilter narrows a member's home feed.
type HomeFilter struct {
	CallsOnly bool   // calls only
	OpenOnly  bool   // open calls only (implies CallsOnly)
	Sector    string // a taxonomy slug, "" for any
	Page      int    // 1-based
}

// HomeItem is one project, call or post of the home feed.
type HomeItem struct {
	model.Object
	Author   string // the author's display name or handle
	Status   string // a call's status at the request time
	DaysLeft int    // days to a call's deadline, -1 without one
}

// HomeFeed is one page of a member's home feed.
type HomeFeed struct {
	Items []HomeItem
	Page  int
	More  bool // a next page exists
}

// homeScan bounds how many objects are read per followed actor.
const homeScan = 500

// Home returns, newest first, the projects, calls and posts of the actors
// username's Person actor follows (accepted follows), filtered, at now.
func (s *Service) Home(ctx context.Context, p Principal, username string, f HomeFilter, now time.Time) (HomeFeed, error) {
	if err := authorizeSelf(p, username, "read the home feed"); err != nil {
		return HomeFeed{}, err
	}
	name, err := s.MemberActor(ctx, username)
	if err != nil {
		return HomeFeed{}, err
	}
	f.Page = max(f.Page, 1)
	f.CallsOnly = f.CallsOnly || f.OpenOnly
	need := f.Page*HomePageSize + 1
	var all []HomeItem
	err = s.store.View(func(tx *store.Tx) error {
		fs, err := tx.FollowingList(name)
		if err != nil {
			return err
		}
		for _, fl := range fs {
			if fl.State != model.FollowAccepted || tx.IsBlocked(fl.Target) {
				continue
			}
			objs, err := tx.ObjectsBy(fl.Target, homeScan)
			if err != nil {
				return err
			}
			v := s.viewer(tx, username, fl.Target)
			kept := 0
			for _, o := range objs {
				if kept >= need {
					break // newest first: older ones cannot reach the page
				}
				if o.IsDeleted() || !o.VisibleTo(v) || !f.keeps(o, now) {
					continue
				}
				kept++
				it := HomeItem{Object: o, Author: orgLabel(tx, o.AttributedTo), DaysLeft: -1}
				if o.Kind == model.KindCall {
					it.Status, it.DaysLeft = string(o.CallStatus(now)), daysLeft(o, now)
				}
				all = append(all, it)
			}
		}
		return nil
	})
	if err != nil {
		return HomeFeed{}, fmt.Errorf("home of %s: %w", username, err)
	}
	slices.SortStableFunc(all, func(a, b HomeItem) int { return b.Published.Compare(a.Published) })
	out := HomeFeed{Page: f.Page}
	start := (f.Page - 1) * HomePageSize
	if start < len(all) {
		end := min(start+HomePageSize, len(all))
		out.Items, out.More = all[start:end], end < len(all)
	}
	return out, nil
}

// keeps reports whether o passes the filter.
func (f HomeFilter) keeps(o model.Object, now time.Time) bool {
	switch o.Kind {
	case model.KindProject, model.KindCall, model.KindNote:
	default:
		return false
	}
	if f.CallsOnly && o.Kind != model.KindCall {
		return false
	}
	if f.OpenOnly && !o.CallState().IsOpen(now) {
		return false
	}
	return f.Sector == "" || slices.Contains(o.Sectors, f.Sector)
}
