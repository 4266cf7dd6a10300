package store

import (
	"fmt"

	"codeberg.org/maillage/maillage/internal/model"
)

// Org returns the local actor called name.
func (t *Tx) Org(name string) (model.Org, error) {
	var o model.Org
	if err := t.getJSON(bucketOrgs, []byte(name), &o); err != nil {
		return o, fmt.Errorf("org %q: %w", name, err)
	}
	return o, nil
}

// CreateOrg stores a new local actor; ErrExists if the name is taken.
func (t *Tx) CreateOrg(o model.Org) error {
	if t.bucket(bucketOrgs).Get([]byte(o.Name)) != nil {
		return fmt.Errorf("org %q: %w", o.Name, ErrExists)
	}
	if err := t.putJSON(bucketOrgs, []byte(o.Name), o); err != nil {
		return err
	}
	return t.indexOrg(o)
}

// PutOrg replaces a local actor.
func (t *Tx) PutOrg(o model.Org) error {
	if err := t.putJSON(bucketOrgs, []byte(o.Name), o); err != nil {
		return err
	}
	return t.indexOrg(o)
}

// Orgs lists every local actor, the instance actor included, by name.
func (t *Tx) Orgs() ([]model.Org, error) {
	var out []model.Org
	err := t.eachPrefix(bucketOrgs, nil, false, func(k, v []byte) (bool, error) {
		var o model.Org
		if err := t.getJSON(bucketOrgs, k, &o); err != nil {
			return false, err
		}
		out = append(out, o)
		return true, nil
	})
	return out, err
}

// orgNames lists the local actors' names from the keys alone, for the
// checks run on every inbox activity: decoding each record (its keys
// included) cost kilobytes per activity.
func (t *Tx) orgNames() []string {
	var out []string
	_ = t.bucket(bucketOrgs).ForEach(func(k, _ []byte) error {
		out = append(out, string(k))
		return nil
	})
	return out
}

// DeleteOrg removes a local actor record (an account's Person actor).
func (t *Tx) DeleteOrg(name string) error {
	if err := t.bucket(bucketOrgs).Delete([]byte(name)); err != nil {
		return err
	}
	return t.unindexOrg(name)
}
