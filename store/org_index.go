package store

import (
	"encoding/binary"
	"fmt"
	"strings"

	bolt "go.etcd.io/bbolt"

	"codeberg.org/maillage/maillage/internal/model"
)

// bucketOrgIndex names the local organisations (model.Org.IsOrganisation),
// kept with bucketOrgs by CreateOrg, PutOrg and DeleteOrg, their number in
// meta under keyOrgCount (migration 17). The organisations collection and
// NodeInfo read these: an importing instance holds 15,000 organisations,
// and decoding each on every request cost seconds and megabytes.
var bucketOrgIndex = []byte("org_index") // name -> {1}

var keyOrgCount = []byte("org_count")

// indexOrg keeps o's name in the index as o is an organisation or not.
// A store not yet migrated has no index: its migration fills it.
func (t *Tx) indexOrg(o model.Org) error {
	b := t.bucket(bucketOrgIndex)
	if b == nil {
		return nil
	}
	was, is := b.Get([]byte(o.Name)) != nil, o.IsOrganisation()
	switch {
	case is && !was:
		if err := b.Put([]byte(o.Name), []byte{1}); err != nil {
			return err
		}
		return t.addOrgCount(1)
	case was && !is:
		return t.unindexOrg(o.Name)
	}
	return nil
}

func (t *Tx) unindexOrg(name string) error {
	b := t.bucket(bucketOrgIndex)
	if b == nil || b.Get([]byte(name)) == nil {
		return nil
	}
	if err := b.Delete([]byte(name)); err != nil {
		return err
	}
	return t.addOrgCount(-1)
}

func (t *Tx) addOrgCount(d int64) error {
	n := int64(t.OrgCount()) + d
	return t.bucket(bucketMeta).Put(keyOrgCount, binary.BigEndian.AppendUint64(nil, uint64(max(n, 0))))
}

// OrgCount is the number of local organisations, read without a walk.
func (t *Tx) OrgCount() int {
	v := t.bucket(bucketMeta).Get(keyOrgCount)
	if len(v) != 8 {
		return 0
	}
	return int(binary.BigEndian.Uint64(v))
}

// OrgNames returns at most limit names of local organisations, in name
// order, after skipping the first offset: keys only, no record decoded.
func (t *Tx) OrgNames(offset, limit int) []string {
	out := make([]string, 0, min(limit, 64))
	c := t.bucket(bucketOrgIndex).Cursor()
	for k, _ := c.First(); k != nil && len(out) < limit; k, _ = c.Next() {
		if offset > 0 {
			offset--
			continue
		}
		out = append(out, string(k))
	}
	return out
}

// migrateOrgIndex fills the organisations index from the local actors.
func migrateOrgIndex(tx *bolt.Tx) error {
	ix, err := tx.CreateBucketIfNotExists(bucketOrgIndex)
	if err != nil {
		return err
	}
	var n uint64
	if orgs := tx.Bucket(bucketOrgs); orgs != nil {
		err = orgs.ForEach(func(k, v []byte) error {
			var o model.Org
			if err := decode(v, &o); err != nil {
				return fmt.Errorf("decode org %q: %w", k, err)
			}
			if !o.IsOrganisation() {
				return nil
			}
			n++
			return ix.Put(k, []byte{1})
		})
		if err != nil {
			return err
		}
	}
	return tx.Bucket(bucketMeta).Put(keyOrgCount, binary.BigEndian.AppendUint64(nil, n))
}

// EachObjectUnder calls fn with each object whose IRI starts with prefix
// (this instance's objects: its base URL and "/orgs/"), tombstones
// included, in IRI order: the instance's counts read what it published,
// not every organisation.
func (t *Tx) EachObjectUnder(prefix string, fn func(model.Object) error) error {
	return t.eachPrefix(bucketObjects, []byte(prefix), false, func(k, v []byte) (bool, error) {
		var o model.Object
		if err := t.getJSON(bucketObjects, k, &o); err != nil {
			return false, err
		}
		return true, fn(o)
	})
}

// LocalNames lists every local actor's name from the keys alone (see
// orgNames), for the inbox's checks.
func (t *Tx) LocalNames() []string { return t.orgNames() }

// EachLocalFollow calls fn with each follow sent by a local actor and that
// actor's name, in (name, target) order, until fn returns false: the
// follows are far fewer than an importing instance's organisations.
func (t *Tx) EachLocalFollow(fn func(local string, f model.Following) (bool, error)) error {
	return t.eachPrefix(bucketFollowing, nil, false, func(k, v []byte) (bool, error) {
		var f model.Following
		if err := decode(v, &f); err != nil {
			return false, fmt.Errorf("store: following %q: %w", k, err)
		}
		local, _, _ := strings.Cut(string(k), "\x00")
		return fn(local, f)
	})
}
