package store

// HasActor reports whether a remote actor is stored, without decoding it.
func (t *Tx) HasActor(id string) bool {
	return t.bucket(bucketActors).Get([]byte(id)) != nil
}
