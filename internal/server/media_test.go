package server

import (
	"path/filepath"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

// Only images of public objects are fetched into the cache, which serves
// its copies to anyone as public: a followers-only project's image would
// be shown to whoever has its URL's key and kept by shared caches (found
// in review).
func TestPrefetchPublicImagesOnly(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(filepath.Join(dir, "db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cache, err := media.OpenCache(media.CacheOptions{Dir: filepath.Join(dir, "cache")})
	if err != nil {
		t.Fatal(err)
	}
	author := "https://127.0.0.9/actors/coop"
	objects := map[model.Audience]string{
		model.AudiencePublic:    "https://127.0.0.9/media/public.png",
		model.AudienceFollowers: "https://127.0.0.9/media/followers.png",
		model.AudienceUnlisted:  "https://127.0.0.9/media/unlisted.png",
	}
	var ids []string
	err = st.Update(func(tx *store.Tx) error {
		for aud, u := range objects {
			id := "https://127.0.0.9/objects/" + string(aud)
			ids = append(ids, id)
			o := model.Object{ID: id, AttributedTo: author, Kind: model.KindProject, Title: string(aud),
				Published: time.Unix(1, 0), Audience: aud, Image: &model.Image{URL: u, Alt: "x"}}
			if err := tx.PutObject(o); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var then func()
	if err := st.View(func(tx *store.Tx) error { then = prefetchImages(cache)(tx, ids...); return nil }); err != nil {
		t.Fatal(err)
	}
	if then != nil {
		then()
	}
	for aud, u := range objects {
		if got, want := cache.Pending(u), aud == model.AudiencePublic; got != want {
			t.Errorf("%s object's image queued = %v, want %v", aud, got, want)
		}
	}
}
