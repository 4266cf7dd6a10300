package service

import (
	"context"
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// Page sizes of the listings: a page never holds more than MaxPageSize
// entries, so what one request holds does not grow with the store.
const (
	DefaultPageSize = 100
	MaxPageSize     = 1000
)

// PageRequest asks for one page of a listing: the entries after the
// cursor a previous page returned as Next ("" for the first page), at
// most Limit of them (0: DefaultPageSize; more than MaxPageSize: that).
type PageRequest struct {
	After string
	Limit int
}

// Page is one page of a listing; Next is the cursor of the following
// page, "" on the last one.
type Page[T any] struct {
	Items []T
	Next  string
}

func (r PageRequest) size() int {
	switch {
	case r.Limit <= 0:
		return DefaultPageSize
	case r.Limit > MaxPageSize:
		return MaxPageSize
	}
	return r.Limit
}

// pageOf fills a page from a walk of the store that starts after the
// request's cursor, keeping the entries keep accepts. It reads one entry
// past the page to know whether there is a next page, and holds no more
// than the page.
func pageOf[T any](req PageRequest, walk func(store.Cursor, func(store.Cursor, T) (bool, error)) error, keep func(T) bool) (Page[T], error) {
	after, err := store.ParseCursor(req.After)
	if err != nil {
		return Page[T]{}, err
	}
	n := req.size()
	p := Page[T]{Items: make([]T, 0, min(n, 64))}
	var last store.Cursor
	err = walk(after, func(c store.Cursor, x T) (bool, error) {
		if keep != nil && !keep(x) {
			return true, nil
		}
		if len(p.Items) == n {
			p.Next = string(last)
			return false, nil
		}
		p.Items = append(p.Items, x)
		last = c
		return true, nil
	})
	return p, err
}

// ObjectsPage is one page of ObjectsBy: an actor's public objects, newest
// first.
func (s *Service) ObjectsPage(ctx context.Context, actorIRI string, req PageRequest) (Page[model.Object], error) {
	var p Page[model.Object]
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		p, err = pageOf(req, func(c store.Cursor, fn func(store.Cursor, model.Object) (bool, error)) error {
			return tx.EachObjectBy(actorIRI, c, fn)
		}, func(o model.Object) bool { return !o.IsDeleted() && o.IsPublic() && !o.HiddenBy(tx) })
		return err
	})
	return p, err
}

// RepliesPage is one page of Replies.
func (s *Service) RepliesPage(ctx context.Context, objectID string, req PageRequest) (Page[model.Reply], error) {
	var p Page[model.Reply]
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := tx.Object(objectID); err != nil {
			return err
		}
		var err error
		p, err = pageOf(req, func(c store.Cursor, fn func(store.Cursor, model.Reply) (bool, error)) error {
			return tx.EachReply(objectID, c, fn)
		}, func(r model.Reply) bool { return !r.HiddenBy(tx) })
		return err
	})
	return p, err
}

// FollowersPage is one page of Followers.
func (s *Service) FollowersPage(ctx context.Context, local string, req PageRequest) (Page[model.Follower], error) {
	var p Page[model.Follower]
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := s.localOrg(tx, local); err != nil {
			return err
		}
		var err error
		p, err = pageOf(req, func(c store.Cursor, fn func(store.Cursor, model.Follower) (bool, error)) error {
			return tx.EachFollower(local, c, fn)
		}, nil)
		return err
	})
	return p, err
}

// FollowingPage is one page of FollowingList.
func (s *Service) FollowingPage(ctx context.Context, local string, req PageRequest) (Page[model.Following], error) {
	var p Page[model.Following]
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := s.localOrg(tx, local); err != nil {
			return err
		}
		var err error
		p, err = pageOf(req, func(c store.Cursor, fn func(store.Cursor, model.Following) (bool, error)) error {
			return tx.EachFollowing(local, c, fn)
		}, nil)
		return err
	})
	return p, err
}

// OrgsPage is one page of Orgs: the organisations, by name.
func (s *Service) OrgsPage(ctx context.Context, req PageRequest) (Page[model.Org], error) {
	var p Page[model.Org]
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		p, err = pageOf(req, tx.EachOrg, model.Org.IsOrganisation)
		return err
	})
	return p, err
}

// BlocksPage is one page of Blocks.
func (s *Service) BlocksPage(ctx context.Context, p Principal, req PageRequest) (Page[model.Block], error) {
	if err := authorize(p, ActModerate, ""); err != nil {
		return Page[model.Block]{}, fmt.Errorf("list blocks: %w", err)
	}
	var out Page[model.Block]
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		out, err = pageOf(req, tx.EachBlock, nil)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("list blocks: %w", err)
	}
	return out, nil
}

// ReportsPage is one page of Reports, newest first.
func (s *Service) ReportsPage(ctx context.Context, p Principal, req PageRequest) (Page[model.Report], error) {
	if err := authorize(p, ActModerate, ""); err != nil {
		return Page[model.Report]{}, fmt.Errorf("list reports: %w", err)
	}
	var out Page[model.Report]
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		out, err = pageOf(req, tx.EachReport, nil)
		return err
	})
	if err != nil {
		return out, fmt.Errorf("list reports: %w", err)
	}
	return out, nil
}
