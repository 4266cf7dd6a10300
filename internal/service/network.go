package service

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// The network page (issue #11) lists the servers this instance knows.
// They are gathered from the store (follows either way, the authors of
// what it holds) and from PeerSources, kept in the peers bucket with what their NodeInfo
// said, and refreshed by a job of federation's (peers.go); the page reads
// only the store.

// PeerSource names servers this instance knows otherwise than through its
// follows and the actors it stores: the relays it joined (issue #11 item
// 2), say. It is asked by the refresh job, never on a page request.
type PeerSource interface {
	PeerOrigins(ctx context.Context) ([]PeerRef, error)
}

// PeerRef is a server a PeerSource knows: its origin (scheme://host[:port])
// and how it is known (one of model.Peer* such as model.PeerRelay).
type PeerRef struct {
	Origin string
	Via    string
}

// sourcePeers asks the PeerSources, outside any transaction (a source may
// read the store, or the network).
func (s *Service) sourcePeers(ctx context.Context) []PeerRef {
	out, err := s.relayPeers()
	if err != nil {
		s.log.Warn("relays as peers", "err", err)
	}
	for _, src := range s.peerSources {
		refs, err := src.PeerOrigins(ctx)
		if err != nil {
			s.log.Warn("peer source failed", "err", err)
			continue
		}
		out = append(out, refs...)
	}
	return out
}

// peersPerDomain bounds the servers listed under one registrable domain
// (uris.Domain): followers on hundreds of wildcard subdomains would
// otherwise fill the list before anything else.
const peersPerDomain = 4

// knownPeers gathers the servers known, at most max and at most
// peersPerDomain a registrable domain: those followed, then the sources'
// (refs: the relays joined), then the servers whose content the store
// holds (objects, replies, organisations a relay brought), and last those
// only known by a follower (anyone may follow, from a server named as it
// likes), so that the bound drops the least related first. Local and
// blocked hosts are left out.
func knownPeers(tx *store.Tx, local string, refs []PeerRef, max int) ([]model.Peer, error) {
	byHost := map[string]int{}
	perDomain := map[string]int{}
	var out []model.Peer
	add := func(iri, via string) bool {
		u, err := url.Parse(iri)
		if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			return true
		}
		host := uris.HostOf(u.Host)
		if host == "" || host == local || tx.IsBlocked(host) {
			return true
		}
		if i, ok := byHost[host]; ok {
			if !slices.Contains(out[i].Via, via) {
				out[i].Via = append(out[i].Via, via)
			}
			return true
		}
		if len(out) >= max {
			return false
		}
		d := uris.Domain(host)
		if perDomain[d] >= peersPerDomain {
			return true
		}
		perDomain[d]++
		byHost[host] = len(out)
		out = append(out, model.Peer{Host: host, Origin: u.Scheme + "://" + host, Via: []string{via}})
		return true
	}
	if err := tx.EachFollowIRI(true, func(iri string) bool { return add(iri, model.PeerFollowing) }); err != nil {
		return nil, err
	}
	for _, r := range refs {
		add(r.Origin, r.Via)
	}
	if err := tx.EachContentAuthor(func(iri string) bool { return add(iri, model.PeerReceived) }); err != nil {
		return nil, err
	}
	err := tx.EachFollowIRI(false, func(iri string) bool { return add(iri, model.PeerFollower) })
	return out, err
}

// followerOnly reports whether p is known only by a follower. The public
// page lists such a server if it runs maillage (an instance that follows
// this one is part of its network: a regional hub's followers are its
// network), not another fediverse server (which servers people follow
// from is theirs to show); administrators see both, to follow them back.
func followerOnly(p model.Peer) bool {
	return len(p.Via) == 1 && p.Via[0] == model.PeerFollower
}

// SyncPeers brings the stored servers in line with those known now, at
// most max (new ones are added, their ways of being known updated, those
// no longer known forgotten), and returns at most n of them whose NodeInfo
// was not read for every (never read first, then the oldest): what the
// refresh job reads next.
func (s *Service) SyncPeers(ctx context.Context, max, n int, every time.Duration) ([]model.Peer, error) {
	var due []model.Peer
	now, refs := s.Now(), s.sourcePeers(ctx)
	err := s.store.Update(func(tx *store.Tx) error {
		due = due[:0]
		known, err := knownPeers(tx, uris.HostOf(s.uris.Host()), refs, max)
		if err != nil {
			return err
		}
		stored, err := tx.Peers()
		if err != nil {
			return err
		}
		old := map[string]model.Peer{}
		for _, p := range stored {
			old[p.Host] = p
		}
		for _, k := range known {
			p, ok := old[k.Host]
			delete(old, k.Host)
			if !ok || !slices.Equal(p.Via, k.Via) || p.Origin != k.Origin {
				if !ok {
					p = k
				}
				p.Via, p.Origin = k.Via, k.Origin
				if err := tx.PutPeer(p); err != nil {
					return err
				}
			}
			if p.Checked.IsZero() || now.Sub(p.Checked) >= every {
				due = append(due, p)
			}
		}
		for host := range old {
			if err := tx.DeletePeer(host); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("sync peers: %w", err)
	}
	slices.SortStableFunc(due, func(a, b model.Peer) int { return a.Checked.Compare(b.Checked) })
	return due[:min(n, len(due))], nil
}

// SavePeer stores what a read of a server's NodeInfo gave (p.Checked set
// by the caller), unless the server was forgotten meanwhile; the ways it
// is known are kept.
func (s *Service) SavePeer(ctx context.Context, p model.Peer) error {
	err := s.store.Update(func(tx *store.Tx) error {
		old, err := tx.Peer(p.Host)
		if errors.Is(err, store.ErrNotFound) {
			return nil
		} else if err != nil {
			return err
		}
		p.Via, p.Origin, p.Discovered = old.Via, old.Origin, old.Discovered
		if p.Problem != "" { // a failed read keeps what the last good one said
			old.Checked, old.Problem = p.Checked, p.Problem
			p = old
		}
		return tx.PutPeer(p)
	})
	if err != nil {
		return fmt.Errorf("save peer %s: %w", p.Host, err)
	}
	return nil
}

// PeerView is a server as the network page shows it.
type PeerView struct {
	model.Peer
	// Followed: the instance actor follows (or asked to follow) its
	// instance actor.
	Followed bool
}

// Peers lists the servers known for the network page: maillage
// instances (by name), then the others (by host); blocked ones are left
// out, and so are those known only by a follower unless followers is
// true (an administrator, who may follow them back from the page): what
// such a server says of itself is shown to the public only once it has a
// relationship here. It reads the store only.
func (s *Service) Peers(ctx context.Context, followers bool) (maillage, others []PeerView, err error) {
	err = s.store.View(func(tx *store.Tx) error {
		all, err := tx.Peers()
		if err != nil {
			return err
		}
		for _, p := range all {
			if tx.IsBlocked(p.Host) || (!followers && followerOnly(p) && !p.Maillage) {
				continue
			}
			v := PeerView{Peer: p}
			if p.InstanceActor != "" {
				_, ferr := tx.Following(model.InstanceName, p.InstanceActor)
				v.Followed = ferr == nil
			}
			if p.Maillage {
				maillage = append(maillage, v)
			} else {
				others = append(others, v)
			}
		}
		return nil
	})
	slices.SortFunc(maillage, func(a, b PeerView) int {
		return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Host, b.Host))
	})
	return maillage, others, err
}
