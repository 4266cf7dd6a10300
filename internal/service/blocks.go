package service

import (
	"context"
	"fmt"
	"net/url"
	"slices"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Block refuses a remote actor or a whole server from now on. target is an
// actor IRI, a name@host handle of a stored actor, or a bare host[:port]
// (or a base URL without a path) for the server.
//
// Blocking hides, it does not delete: the actor's stored content leaves the
// directory and the object lists but stays in the store, so that Unblock
// shows it again. The blocked actors stop being followers of our actors
// (that one is not undone), and deliveries queued for them are dropped.
// Our own follows of them are kept: the inbox refuses what they send.
// Blocking what is already blocked changes nothing.
func (s *Service) Block(ctx context.Context, p Principal, target string) (model.Block, error) {
	if err := authorize(p, ActModerate, ""); err != nil {
		return model.Block{}, fmt.Errorf("block: %w", err)
	}
	var b block
	var changed []string
	dropped := 0
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if b, err = s.blockOf(tx, target); err != nil {
			return err
		}
		if old, err := tx.Block(b.Target); err == nil {
			b.Block, changed = old, nil
			return nil
		}
		b.Created = s.Now().UTC()
		if err := tx.PutBlock(b.Block); err != nil {
			return err
		}
		if err := dropBlockedFollowers(tx); err != nil {
			return err
		}
		dropped, err = tx.DropDeliveries(func(d model.Delivery) bool {
			return tx.IsBlocked(d.Inbox) || (b.inbox != "" && d.Inbox == b.inbox)
		})
		if err != nil {
			return err
		}
		if changed, err = blockedContent(tx, b); err != nil {
			return err
		}
		return s.matchCalls(tx, changed...)
	})
	if err != nil {
		return b.Block, fmt.Errorf("block %s: %w", target, err)
	}
	s.changed(changed...)
	s.log.Info("blocked", "target", b.Target, "kind", b.Kind, "deliveries_dropped", dropped)
	return b.Block, nil
}

// Unblock lifts the block of target (as named for Block): what the actor
// or server sent before shows again; what it sent while blocked was
// refused and is lost.
func (s *Service) Unblock(ctx context.Context, p Principal, target string) error {
	if err := authorize(p, ActModerate, ""); err != nil {
		return fmt.Errorf("unblock: %w", err)
	}
	var changed []string
	var key string
	err := s.store.Update(func(tx *store.Tx) error {
		b, err := s.blockOf(tx, target)
		if err != nil {
			return err
		}
		key = b.Target
		if err := tx.DeleteBlock(b.Target); err != nil {
			return err
		}
		if changed, err = blockedContent(tx, b); err != nil {
			return err
		}
		return s.matchCalls(tx, changed...)
	})
	if err != nil {
		return fmt.Errorf("unblock %s: %w", target, err)
	}
	s.changed(changed...)
	s.log.Info("unblocked", "target", key)
	return nil
}

// Blocks lists the blocks.
func (s *Service) Blocks(ctx context.Context, p Principal) ([]model.Block, error) {
	if err := authorize(p, ActModerate, ""); err != nil {
		return nil, fmt.Errorf("list blocks: %w", err)
	}
	var out []model.Block
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Blocks()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list blocks: %w", err)
	}
	return out, nil
}

// IsBlocked reports whether an actor (or object, or inbox) IRI is blocked,
// by itself or through its server.
func (s *Service) IsBlocked(ctx context.Context, iri string) bool {
	blocked := false
	_ = s.store.View(func(tx *store.Tx) error { blocked = tx.IsBlocked(iri); return nil })
	return blocked
}

// errBlocked is the validation error of an action towards a blocked actor.
func errBlocked(field string) error {
	return model.Invalid(field, "validation.blocked")
}

// checkNotBlocked refuses target (an IRI, handle or host) when it is blocked.
func (s *Service) checkNotBlocked(ctx context.Context, field, target string) error {
	if s.IsBlocked(ctx, target) {
		return errBlocked(field)
	}
	return nil
}

// block is a model.Block with, for an actor, its personal inbox (whose
// queued deliveries are dropped along with the server's).
type block struct {
	model.Block
	inbox string
}

// blockOf reads target into the block it names.
func (s *Service) blockOf(tx *store.Tx, target string) (block, error) {
	target = strings.TrimSpace(target)
	invalid := func(key string) (block, error) {
		return block{}, model.Invalid("target", key)
	}
	switch {
	case target == "":
		return invalid("validation.block.target")
	case strings.Contains(target, "://"):
		u, err := url.Parse(target)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return invalid("validation.block.not_http")
		}
		if u.Path == "" || u.Path == "/" {
			return s.domainBlock(uris.HostOf(target), invalid)
		}
		if s.uris.IsLocal(target) {
			return invalid("validation.block.own_actor")
		}
		if len(target) > maxIRI {
			return invalid("validation.block.too_long")
		}
		// Block the actor as stored: its id, found by id (host case aside)
		// or by its profile page, so that the block matches what arrives.
		b := block{Block: model.Block{Target: canonicalIRI(target), Kind: model.BlockActor}}
		if a, ok := s.findActor(tx, target); ok {
			b.Target, b.Handle, b.inbox = a.ID, a.Handle(), a.Inbox
		}
		return b, nil
	case strings.Contains(target, "@"):
		handle := strings.TrimPrefix(target, "@")
		actors, err := tx.Actors()
		if err != nil {
			return block{}, err
		}
		for _, a := range actors {
			if strings.EqualFold(a.Handle(), handle) {
				return block{Block: model.Block{Target: a.ID, Kind: model.BlockActor, Handle: a.Handle()}, inbox: a.Inbox}, nil
			}
		}
		return invalid("validation.block.unknown_handle")
	}
	host := strings.ToLower(target)
	if uris.HostOf(host) != host || strings.ContainsAny(host, "/?#") {
		return invalid("validation.block.not_host")
	}
	return s.domainBlock(host, invalid)
}

func (s *Service) domainBlock(host string, invalid func(string) (block, error)) (block, error) {
	if host == "" {
		return invalid("validation.block.not_host")
	}
	if slices.Contains(store.BlockHosts(s.uris.Base), host) {
		return invalid("validation.block.own_server")
	}
	return block{Block: model.Block{Target: host, Kind: model.BlockDomain}}, nil
}

// dropBlockedFollowers removes the blocked followers (pending or not) of
// every local actor.
func dropBlockedFollowers(tx *store.Tx) error {
	// Names only: an importing instance holds thousands of organisations.
	for _, name := range tx.LocalNames() {
		fs, err := tx.Followers(name)
		if err != nil {
			return err
		}
		for _, f := range fs {
			if !tx.IsBlocked(f.Actor) {
				continue
			}
			if err := tx.DeleteFollower(name, f.Actor); err != nil {
				return err
			}
		}
	}
	return nil
}

// blockedContent lists the IRIs of the actors and objects a block covers,
// for the directory to refresh.
func blockedContent(tx *store.Tx, b block) ([]string, error) {
	if b.Kind == model.BlockActor {
		ids := []string{b.Target}
		objs, err := tx.ObjectsBy(b.Target, 0)
		for _, o := range objs {
			ids = append(ids, o.ID)
		}
		return ids, err
	}
	covered := func(iri string) bool { return slices.Contains(store.BlockHosts(iri), b.Target) }
	var ids []string
	actors, err := tx.Actors()
	if err != nil {
		return nil, err
	}
	for _, a := range actors {
		if covered(a.ID) {
			ids = append(ids, a.ID)
		}
	}
	objs, err := tx.Objects()
	if err != nil {
		return nil, err
	}
	for _, o := range objs {
		if !o.Local && (covered(o.ID) || covered(o.AttributedTo)) {
			ids = append(ids, o.ID)
		}
	}
	return ids, nil
}

// canonicalIRI lower-cases the scheme and host of an IRI, drops a default
// port and a trailing slash.
func canonicalIRI(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return s
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = uris.HostOf(u.Host)
	if (u.Scheme == "https" && strings.HasSuffix(u.Host, ":443")) || (u.Scheme == "http" && strings.HasSuffix(u.Host, ":80")) {
		u.Host = u.Host[:strings.LastIndexByte(u.Host, ':')]
	}
	u.Path = strings.TrimSuffix(u.Path, "/")
	return u.String()
}

// findActor finds a stored actor by its id or its profile page URL,
// comparing canonical forms.
func (s *Service) findActor(tx *store.Tx, target string) (model.Actor, bool) {
	if a, err := tx.Actor(target); err == nil {
		return a, true
	}
	want := canonicalIRI(target)
	actors, err := tx.Actors()
	if err != nil {
		return model.Actor{}, false
	}
	for _, a := range actors {
		if canonicalIRI(a.ID) == want || (a.URL != "" && canonicalIRI(a.URL) == want) {
			return a, true
		}
	}
	return model.Actor{}, false
}
