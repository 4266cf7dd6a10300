package store

import (
	"fmt"
	"net"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Blocks are keyed by their target: an actor IRI, or a host[:port] in
// lower case. The two never collide, since a host has no "://".

// PutBlock stores (or replaces) a block.
func (t *Tx) PutBlock(b model.Block) error {
	return t.putJSON(bucketBlocks, []byte(b.Target), b)
}

// Block returns the block of target (an actor IRI or a host[:port]).
func (t *Tx) Block(target string) (model.Block, error) {
	var b model.Block
	if err := t.getJSON(bucketBlocks, []byte(target), &b); err != nil {
		return b, fmt.Errorf("block %s: %w", target, err)
	}
	return b, nil
}

// DeleteBlock lifts the block of target; ErrNotFound if there is none.
func (t *Tx) DeleteBlock(target string) error {
	if t.bucket(bucketBlocks).Get([]byte(target)) == nil {
		return fmt.Errorf("block %s: %w", target, ErrNotFound)
	}
	return t.bucket(bucketBlocks).Delete([]byte(target))
}

// Blocks lists the blocks in target order.
func (t *Tx) Blocks() ([]model.Block, error) {
	var out []model.Block
	err := t.eachPrefix(bucketBlocks, nil, false, func(_, v []byte) (bool, error) {
		var b model.Block
		if err := decode(v, &b); err != nil {
			return false, err
		}
		out = append(out, b)
		return true, nil
	})
	return out, err
}

// IsBlocked reports whether iri (an actor, object or inbox IRI, or a bare
// host[:port]) is blocked: the IRI itself, or its server. A server block
// on a host without a port covers every port, and one on a domain covers
// its subdomains, as Mastodon's domain blocks do.
func (t *Tx) IsBlocked(iri string) bool {
	b := t.bucket(bucketBlocks)
	if iri == "" || b == nil {
		return false
	}
	if k, _ := b.Cursor().First(); k == nil {
		return false // nothing blocked: the common case costs one seek
	}
	if strings.Contains(iri, "://") && b.Get([]byte(iri)) != nil {
		return true
	}
	for _, h := range BlockHosts(iri) {
		if b.Get([]byte(h)) != nil {
			return true
		}
	}
	return false
}

// BlockHosts lists the server keys a block of iri's server may be stored
// under, most specific first: host:port, host, then each parent domain.
// iri may be a bare host[:port]. It returns nil when iri has no host.
func BlockHosts(iri string) []string {
	hostPort := uris.HostOf(iri)
	if hostPort == "" {
		return nil
	}
	out := []string{hostPort}
	host := hostPort
	if h, _, err := net.SplitHostPort(hostPort); err == nil {
		host = h
		if strings.Contains(h, ":") {
			host = "[" + h + "]" // IPv6, written as url.URL.Host writes it
		}
		out = append(out, host)
	}
	if net.ParseIP(strings.Trim(host, "[]")) != nil {
		return out
	}
	for i := strings.IndexByte(host, '.'); i >= 0; i = strings.IndexByte(host, '.') {
		host = host[i+1:]
		if !strings.Contains(host, ".") {
			break // never a bare top-level domain
		}
		out = append(out, host)
	}
	return out
}

// DropDeliveries removes the queued deliveries for which drop is true
// (deliveries to a server or actor just blocked) and returns how many.
func (t *Tx) DropDeliveries(drop func(model.Delivery) bool) (int, error) {
	var doomed []model.Delivery
	err := t.eachPrefix(bucketQueue, nil, false, func(_, v []byte) (bool, error) {
		var d model.Delivery
		if err := decode(v, &d); err != nil {
			return false, err
		}
		if drop(d) {
			doomed = append(doomed, d)
		}
		return true, nil
	})
	if err != nil {
		return 0, err
	}
	for _, d := range doomed {
		if err := t.Dequeue(d); err != nil {
			return 0, fmt.Errorf("store: drop delivery %d: %w", d.ID, err)
		}
	}
	return len(doomed), nil
}
