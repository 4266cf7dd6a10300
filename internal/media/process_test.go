package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"strings"
	"testing"
)

// testImage is a w×h picture with a gradient (so that it is not all one
// colour), opaque unless alpha.
func testImage(w, h int, alpha bool) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			a := uint8(255)
			if alpha && x < w/2 {
				a = 0
			}
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 128, a})
		}
	}
	return img
}

func encodePNG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func encodeJPEG(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestProcessResizesAndReencodes(t *testing.T) {
	p, err := ProcessBytes(encodePNG(t, testImage(2000, 1000, false)), PurposeImage)
	if err != nil {
		t.Fatal(err)
	}
	if p.Large.Ext != "jpg" || p.Large.Width != 1200 || p.Large.Height != 600 {
		t.Errorf("large = %s %d×%d, want jpg 1200×600", p.Large.Ext, p.Large.Width, p.Large.Height)
	}
	if p.Thumb.Width != ThumbSide || p.Thumb.Height != 160 {
		t.Errorf("thumb = %d×%d, want %d×160", p.Thumb.Width, p.Thumb.Height, ThumbSide)
	}
	for _, e := range []Encoded{p.Large, p.Thumb} {
		cfg, err := jpeg.DecodeConfig(bytes.NewReader(e.Data))
		if err != nil || cfg.Width != e.Width || cfg.Height != e.Height {
			t.Errorf("encoded %d×%d does not decode as said: %v %+v", e.Width, e.Height, err, cfg)
		}
	}
	// A transparent logo stays PNG, and a small one keeps its size.
	p, err = ProcessBytes(encodePNG(t, testImage(300, 200, true)), PurposeLogo)
	if err != nil {
		t.Fatal(err)
	}
	if p.Large.Ext != "png" || p.Large.MediaType != "image/png" || p.Large.Width != 300 || p.Large.Height != 200 {
		t.Errorf("logo = %s %s %d×%d, want png 300×200", p.Large.Ext, p.Large.MediaType, p.Large.Width, p.Large.Height)
	}
}

func TestProcessRefusesBadInput(t *testing.T) {
	bomb := pngWithSize(t, 100_000, 100_000)
	tall := pngWithSize(t, 1, MaxSide+1)
	for _, tc := range []struct {
		name string
		data []byte
		want error
	}{
		{"text named .png", []byte("just some text, named logo.png\n"), ErrNotImage},
		{"html", []byte("<!DOCTYPE html><script>alert(1)</script>"), ErrNotImage},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), ErrNotImage},
		{"empty", nil, ErrNotImage},
		{"truncated png", encodePNG(t, testImage(64, 64, false))[:60], ErrNotImage},
		{"png bomb 100000×100000", bomb, ErrDimensions},
		{"too tall", tall, ErrDimensions},
		{"over the size cap", append(encodePNG(t, testImage(8, 8, false)), make([]byte, MaxBytes)...), ErrTooLarge},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Process(bytes.NewReader(tc.data), PurposeImage)
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
		})
	}
}

// pngWithSize is a 1×1 PNG whose header declares w×h: decoding it would
// fail (or allocate w×h×4 bytes), so only the check on DecodeConfig can
// refuse it with ErrDimensions.
func pngWithSize(t testing.TB, w, h uint32) []byte {
	data := encodePNG(t, testImage(1, 1, false))
	// Signature (8 bytes), then IHDR: length (4), type (4), width, height.
	binary.BigEndian.PutUint32(data[16:], w)
	binary.BigEndian.PutUint32(data[20:], h)
	crc := crc32.ChecksumIEEE(data[12:29]) // type and the 13 bytes of data
	binary.BigEndian.PutUint32(data[29:], crc)
	return data
}

func TestProcessDropsEXIFGPS(t *testing.T) {
	plain := encodeJPEG(t, testImage(640, 480, false))
	exif := exifWithGPS()
	// The APP1 segment goes right after SOI, where cameras write it.
	in := append([]byte{0xFF, 0xD8, 0xFF, 0xE1, byte((len(exif) + 2) >> 8), byte(len(exif) + 2)}, exif...)
	in = append(in, plain[2:]...)
	if !bytes.Contains(in, []byte("Exif\x00\x00")) {
		t.Fatal("the input has no EXIF block")
	}
	if _, err := jpeg.Decode(bytes.NewReader(in)); err != nil {
		t.Fatalf("the input is not a valid JPEG: %v", err)
	}
	p, err := ProcessBytes(in, PurposeImage)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range []Encoded{p.Large, p.Thumb} {
		if bytes.Contains(e.Data, []byte("Exif")) || hasMarker(e.Data, 0xE1) {
			t.Errorf("re-encoded %d×%d still has EXIF data", e.Width, e.Height)
		}
	}
}

// hasMarker reports whether a JPEG's header segments (before the scan)
// include marker 0xFF m.
func hasMarker(data []byte, m byte) bool {
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xFF {
			return false
		}
		if data[i+1] == m {
			return true
		}
		if data[i+1] == 0xDA { // start of scan: no more header segments
			return false
		}
		i += 2 + int(binary.BigEndian.Uint16(data[i+2:]))
	}
	return false
}

// exifWithGPS is an EXIF block (little-endian TIFF) whose IFD0 points to a
// GPS IFD holding a latitude of 45°N, as a phone camera writes.
func exifWithGPS() []byte {
	var b bytes.Buffer
	le := binary.LittleEndian
	w := func(v any) { _ = binary.Write(&b, le, v) }
	b.WriteString("Exif\x00\x00")
	b.WriteString("II*\x00")
	w(uint32(8)) // IFD0 at 8
	// IFD0: one entry, GPSInfo (0x8825, LONG) → GPS IFD at 26.
	w(uint16(1))
	w([]uint16{0x8825, 4})
	w([]uint32{1, 26})
	w(uint32(0))
	// GPS IFD at 26: GPSLatitudeRef "N", GPSLatitude 45/1 0/1 0/1 at 56.
	w(uint16(2))
	w([]uint16{0x0001, 2})
	w(uint32(2))
	b.WriteString("N\x00\x00\x00")
	w([]uint16{0x0002, 5})
	w([]uint32{3, 56})
	w(uint32(0))
	w([]uint32{45, 1, 0, 1, 0, 1})
	return b.Bytes()
}

func TestKeySaysNothingOfTheURL(t *testing.T) {
	k := Key("https://a.example/media/secret-name.png")
	if len(k) != 32 || strings.Contains(k, "example") || Key("https://a.example/other.png") == k {
		t.Errorf("Key = %q", k)
	}
}

// BenchmarkProcessPhoto is an upload of a 12-megapixel phone photo: the
// time and memory one upload costs the instance.
func BenchmarkProcessPhoto(b *testing.B) {
	data := encodeJPEG(b, testImage(4000, 3000, false))
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ProcessBytes(data, PurposeImage); err != nil {
			b.Fatal(err)
		}
	}
}
