package media

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
)

// Dir is the directory of local media in the data directory.
const Dir = "media"

// Files is the local media of an instance: files named by the SHA-256 of
// their content, so that one name always means the same bytes (served as
// immutable, backed up once, written twice harmlessly). Files are never
// removed: a profile or an object changing its image keeps the old one,
// which its earlier activities still name.
type Files struct {
	dir string
}

// OpenFiles uses (and creates) dir.
func OpenFiles(dir string) (*Files, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("media: %w", err)
	}
	return &Files{dir: dir}, nil
}

// Put stores e and returns its name.
func (f *Files) Put(e Encoded) (string, error) {
	sum := sha256.Sum256(e.Data)
	name := hex.EncodeToString(sum[:]) + "." + e.Ext
	path := filepath.Join(f.dir, name)
	if _, err := os.Stat(path); err == nil {
		return name, nil
	}
	if err := WriteFileAtomic(path, e.Data); err != nil {
		return "", fmt.Errorf("media: put %s: %w", name, err)
	}
	return name, nil
}

// Save stores both sizes of p and returns the image that names them.
func (f *Files) Save(p Processed, alt string) (*model.Image, error) {
	large, err := f.Put(p.Large)
	if err != nil {
		return nil, err
	}
	thumb, err := f.Put(p.Thumb)
	if err != nil {
		return nil, err
	}
	return &model.Image{File: large, Thumb: thumb, MediaType: p.Large.MediaType,
		Width: p.Large.Width, Height: p.Large.Height, Alt: alt, Blurhash: p.Blurhash}, nil
}

// Path is where the file called name is, if name is a media name.
func (f *Files) Path(name string) (string, bool) {
	if !model.IsMediaName(name) {
		return "", false
	}
	return filepath.Join(f.dir, name), true
}

// Names lists the stored files, sorted.
func (f *Files) Names() ([]string, error) {
	var out []string
	entries, err := os.ReadDir(f.dir)
	if err != nil {
		return nil, fmt.Errorf("media: list: %w", err)
	}
	for _, e := range entries {
		if e.Type().IsRegular() && model.IsMediaName(e.Name()) {
			out = append(out, e.Name())
		}
	}
	slices.Sort(out)
	return out, nil
}

// CheckName reports whether data is the content that name promises.
func CheckName(name string, data []byte) bool {
	sum := sha256.Sum256(data)
	return model.IsMediaName(name) && name[:64] == hex.EncodeToString(sum[:])
}

// WriteFileAtomic writes data beside path, syncs it and renames it there
// (mode 0600), so that a reader never sees a partial file.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".part-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after the rename, a no-op
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Image is the stored image whose files ref names ("{large} {thumb}", as
// a form carries an image already uploaded), with its type and size read
// from the large file; false if either file is not here.
func (f *Files) Image(ref, alt string) (*model.Image, bool) {
	large, thumb, _ := strings.Cut(ref, " ")
	lp, ok1 := f.Path(large)
	tp, ok2 := f.Path(thumb)
	if !ok1 || !ok2 {
		return nil, false
	}
	// The small size is decoded again for the blurhash; a few milliseconds.
	td, err := os.ReadFile(tp)
	if err != nil {
		return nil, false
	}
	file, err := os.Open(lp)
	if err != nil {
		return nil, false
	}
	defer file.Close()
	im := &model.Image{File: large, Thumb: thumb, Alt: alt, MediaType: "image/jpeg"}
	dec := jpeg.DecodeConfig
	if strings.HasSuffix(large, ".png") {
		im.MediaType, dec = "image/png", png.DecodeConfig
	}
	cfg, err := dec(file)
	if err != nil {
		return nil, false
	}
	im.Width, im.Height = cfg.Width, cfg.Height
	im.Blurhash = blurhashOf(td)
	return im, true
}

// Ref is how a form carries im's files.
func Ref(im *model.Image) string {
	if !im.IsLocal() {
		return ""
	}
	return im.File + " " + im.Thumb
}
