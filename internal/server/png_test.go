package server_test

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

// pngOf is a w×h PNG whose pixel at (x, y) is pixel(x, y).
func pngOf(t *testing.T, w, h int, pixel func(x, y int) color.RGBA) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.Set(x, y, pixel(x, y))
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// pngFile writes pngOf's image to a file named name in a temporary
// directory, for a browser to upload, and returns its path.
func pngFile(t *testing.T, name string, w, h int, pixel func(x, y int) color.RGBA) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, pngOf(t, w, h, pixel), 0o600); err != nil {
		t.Fatal(err)
	}
	return file
}
