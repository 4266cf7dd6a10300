package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"codeberg.org/maillage/maillage/internal/media"
	"codeberg.org/maillage/maillage/internal/server"
	"codeberg.org/maillage/maillage/store"
)

// runRestore puts a backup (the database file of `maillage backup` and
// its media directory) into a data directory that holds no database yet,
// for an instance to start on. It checks everything before writing: the
// database is verified, and each image must match its name.
func runRestore(_ context.Context, e *env, args []string) error {
	fs := newFlags(e, "restore")
	in := fs.String("i", "", "the backup file (maillage backup -o)")
	mediaDir := fs.String("media", "", "the backup's media directory (default: media beside the backup file)")
	data := fs.String("data", "", "data directory to restore into; it must hold no database")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *in == "" || *data == "" || fs.NArg() != 0 {
		return errors.New("usage: maillage restore -i FILE [-media DIR] -data DIR")
	}
	if *mediaDir == "" {
		*mediaDir = filepath.Join(filepath.Dir(*in), media.Dir)
	}
	if err := store.Verify(*in); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	dbPath := filepath.Join(*data, server.DBFile)
	if _, err := os.Stat(dbPath); err == nil {
		return fmt.Errorf("restore: %s exists: stop the instance and move it away first", dbPath)
	}
	names, err := backupMediaNames(*mediaDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Join(*data, media.Dir), 0o700); err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	copied := 0
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(*mediaDir, name))
		if err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		if !media.CheckName(name, b) {
			return fmt.Errorf("restore: %s: content does not match its name", name)
		}
		if err := media.WriteFileAtomic(filepath.Join(*data, media.Dir, name), b); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
		copied++
	}
	// The database goes last: an instance never starts on it without
	// the images it names.
	n, err := copyFileSynced(dbPath, *in)
	if err != nil {
		return fmt.Errorf("restore: %w", err)
	}
	fmt.Fprintf(e.stdout, "%s: %d bytes; %s: %d media files\n", dbPath, n, filepath.Join(*data, media.Dir), copied)
	return nil
}

// copyFileSynced copies src to a temporary file beside dst (mode 0600),
// syncs it and renames it to dst.
func copyFileSynced(dst, src string) (int64, error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".part-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	n, err := io.Copy(tmp, in)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	return n, os.Rename(tmp.Name(), dst)
}

// backupMediaNames lists the media files of a backup's media directory;
// none when it does not exist (an instance without images).
func backupMediaNames(dir string) ([]string, error) {
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	files, err := media.OpenFiles(dir)
	if err != nil {
		return nil, fmt.Errorf("restore: %w", err)
	}
	return files.Names()
}
