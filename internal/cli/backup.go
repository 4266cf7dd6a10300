package cli

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"

	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/store"
)

// runBackup downloads a consistent copy of a running instance's database.
// The file appears only once it is complete and checked: the copy goes to a
// temporary file beside it, is synced, verified, then renamed.
func runBackup(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "backup")
	mk := clientFlags(fs, e)
	out := fs.String("o", "", "file to write the backup to (replaced atomically)")
	mediaDir := fs.String("media", "", "directory of the uploaded images, shared by backups (default: media beside FILE)")
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	if *out == "" || fs.NArg() != 0 {
		return errors.New("usage: maillage backup -o FILE [-media DIR]")
	}
	n, err := c.backup(ctx, *out)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %d bytes\n", *out, n)
	if *mediaDir == "" {
		*mediaDir = filepath.Join(filepath.Dir(*out), media.Dir)
	}
	all, added, err := c.backupMedia(ctx, *mediaDir)
	if err != nil {
		return err
	}
	if all > 0 {
		fmt.Fprintf(e.stdout, "%s: %d media files, %d new\n", *mediaDir, all, added)
	}
	return nil
}

func (c *client) backup(ctx context.Context, path string) (int64, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.base+"/api/v1/backup", nil)
	if err != nil {
		return 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	hc := *c.http
	hc.Timeout = 0 // a large database takes longer than an API call; ctx (Ctrl-C) still ends it
	resp, err := hc.Do(req)
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		var e apiErrorBody
		data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
		_ = json.Unmarshal(data, &e)
		return 0, fmt.Errorf("backup: %d %s", resp.StatusCode, e.Error)
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".part-*")
	if err != nil {
		return 0, fmt.Errorf("backup: %w", err)
	}
	keep := false
	defer func() {
		if !keep {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err := io.Copy(tmp, resp.Body)
	if err != nil {
		return n, fmt.Errorf("backup: download: %w", err)
	}
	if resp.ContentLength >= 0 && n != resp.ContentLength {
		return n, fmt.Errorf("backup: got %d of %d bytes", n, resp.ContentLength)
	}
	if err := tmp.Sync(); err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	if err := store.Verify(tmp.Name()); err != nil {
		return n, fmt.Errorf("backup: the copy is not usable: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return n, fmt.Errorf("backup: %w", err)
	}
	keep = true
	if d, err := os.Open(filepath.Dir(path)); err == nil { // make the rename durable
		_ = d.Sync()
		d.Close()
	}
	return n, nil
}

// apiErrorBody is the JSON body of an admin API error.
type apiErrorBody struct {
	Error string `json:"error"`
}
