package store

import (
	"encoding/json"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// objectHead is the part of a stored object that says whether and how it
// may be shown, with its image: decoding it skips the texts, which are
// most of what decoding a whole object allocates.
type objectHead struct {
	Local    bool           `json:"local"`
	Kind     model.Kind     `json:"kind"`
	Image    *model.Image   `json:"image"`
	Audience model.Audience `json:"audience"`
	Deleted  time.Time      `json:"deleted"`
}

// ObjectHead returns the object id with only Local, Kind, Image, Audience
// and Deleted read (enough for IsDeleted, IsPublic and its image); the
// other fields are zero.
func (t *Tx) ObjectHead(id string) (model.Object, error) {
	data := t.bucket(bucketObjects).Get([]byte(id))
	if data == nil {
		return model.Object{}, fmt.Errorf("object %s: %w", id, ErrNotFound)
	}
	var h objectHead
	if err := json.Unmarshal(data, &h); err != nil {
		return model.Object{}, fmt.Errorf("store: decode object %q: %w", id, err)
	}
	return model.Object{ID: id, Local: h.Local, Kind: h.Kind, Image: h.Image, Audience: h.Audience, Deleted: h.Deleted}, nil
}
