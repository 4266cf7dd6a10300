package store

import "bytes"

// IsListed reports whether id is a live project or call (the listed
// bucket), without decoding it: the directory refreshes after every
// received Note, and a Note is not listed.
func (t *Tx) IsListed(id string) bool {
	k, _ := t.bucket(bucketListed).Cursor().Seek([]byte(id))
	return k != nil && bytes.Equal(k, []byte(id))
}

// HasObject reports whether an object id is stored, without decoding it.
func (t *Tx) HasObject(id string) bool {
	return t.bucket(bucketObjects).Get([]byte(id)) != nil
}
