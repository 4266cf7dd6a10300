package server

import (
	"log/slog"
	"net/http"
	"path/filepath"

	"codeberg.org/maillage/maillage/internal/config"
	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/store"
)

// RemoteMediaDir is the directory of the remote images' cache, in the
// data directory; it is not backed up (it fills again).
const RemoteMediaDir = "media-cache"

// openMedia opens the uploaded images (backed up with the store) and the
// cache of remote ones, fetched through the guarded client.
func openMedia(cfg config.Config, client *http.Client, log *slog.Logger) (*media.Files, *media.Cache, error) {
	files, err := media.OpenFiles(filepath.Join(cfg.DataDir, media.Dir))
	if err != nil {
		return nil, nil, err
	}
	cache, err := media.OpenCache(media.CacheOptions{Dir: filepath.Join(cfg.DataDir, RemoteMediaDir), HTTP: client,
		Log: log.With("component", "media")})
	if err != nil {
		return nil, nil, err
	}
	return files, cache, nil
}

// prefetchImages is an OnCommit observer: the images of the remote
// organisations and objects a commit stored are queued for the cache, so
// that they are there when a page first shows them. It reads the store,
// never the Service (observers must not call back into it), and never
// waits for a fetch.
func prefetchImages(cache *media.Cache) service.Observer {
	return func(tx *store.Tx, ids ...string) func() {
		var urls []string
		for _, id := range ids {
			if o, err := tx.ObjectHead(id); err == nil {
				// The cache serves its copies to anyone, as public:
				// only images of public objects go in.
				if !o.Local && o.Image != nil && !o.IsDeleted() && o.IsPublic() {
					urls = append(urls, o.Image.URL)
				}
				continue
			}
			if a, err := tx.Actor(id); err == nil && a.Profile != nil {
				for _, im := range []*model.Image{a.Profile.Logo, a.Profile.Banner} {
					if im != nil {
						urls = append(urls, im.URL)
					}
				}
			}
		}
		if len(urls) == 0 {
			return nil
		}
		return func() { // once the transaction is closed
			for _, u := range urls {
				if u != "" {
					cache.Want(u)
				}
			}
		}
	}
}
