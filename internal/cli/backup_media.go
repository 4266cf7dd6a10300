package cli

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/model"
)

// backupMedia copies the instance's uploaded images into dir, fetching
// only those dir lacks: names are content hashes, so nightly backups
// share one directory and each file is downloaded once. It runs after
// the database copy; files are never removed, so every file that copy
// refers to is listed. It returns how many files the instance has and
// how many were new.
func (c *client) backupMedia(ctx context.Context, dir string) (all, added int, err error) {
	var list struct {
		Files []string `json:"files"`
	}
	if err := c.do(ctx, http.MethodGet, "/api/v1/media", nil, &list); err != nil {
		return 0, 0, fmt.Errorf("backup: media list: %w", err)
	}
	if len(list.Files) == 0 {
		return 0, 0, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return 0, 0, fmt.Errorf("backup: %w", err)
	}
	for _, name := range list.Files {
		if !model.IsMediaName(name) {
			return all, added, fmt.Errorf("backup: the instance lists %q, not a media file name", name)
		}
		all++
		path := filepath.Join(dir, name)
		if data, err := os.ReadFile(path); err == nil && media.CheckName(name, data) {
			continue
		}
		if err := c.fetchMedia(ctx, name, path); err != nil {
			return all, added, err
		}
		added++
	}
	return all, added, nil
}

// fetchMedia downloads one file from /media/ and keeps it only if its
// content is what its name says.
func (c *client) fetchMedia(ctx context.Context, name, path string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, c.base+"/media/"+name, nil)
	if err != nil {
		return err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("backup: media %s: %w", name, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("backup: media %s: status %d", name, resp.StatusCode)
	}
	data, err := io.ReadAll(io.LimitReader(resp.Body, 2*media.MaxBytes))
	if err != nil {
		return fmt.Errorf("backup: media %s: %w", name, err)
	}
	if !media.CheckName(name, data) {
		return fmt.Errorf("backup: media %s: content does not match its name", name)
	}
	return media.WriteFileAtomic(path, data)
}
