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
	"runtime"
	"testing"
)

// declaredPNG is a valid small PNG of img whose header is rewritten to
// declare w×h: DecodeConfig reads the header only, and png.Decode
// allocates the whole image before it reads the pixel data.
func declaredPNG(t *testing.T, img image.Image, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	// signature (8), IHDR length and type (8), then width and height.
	binary.BigEndian.PutUint32(data[16:], uint32(w))
	binary.BigEndian.PutUint32(data[20:], uint32(h))
	binary.BigEndian.PutUint32(data[29:], crc32.ChecksumIEEE(data[12:29]))
	return data
}

// A small 16-bit PNG under the pixel limit decodes into 8 bytes a pixel:
// the budget counts bytes, not pixels (found in review).
func TestProcess16BitPNGBudget(t *testing.T) {
	small := image.NewNRGBA64(image.Rect(0, 0, 1, 1))
	small.Set(0, 0, color.NRGBA64{R: 0xffff, A: 0xffff})
	data := declaredPNG(t, small, 6300, 6300) // 39.7 megapixels, 317 MB decoded
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ProcessBytes(data, PurposeImage)
	runtime.ReadMemStats(&after)
	if !errors.Is(err, ErrDimensions) {
		t.Errorf("err = %v, want ErrDimensions", err)
	}
	if d := after.TotalAlloc - before.TotalAlloc; d > 200<<20 {
		t.Errorf("ProcessBytes allocated %d MiB for a %d-byte file", d>>20, len(data))
	}
}

// An 8-bit image of the same size is within the budget of an upload.
func TestDecodeCost(t *testing.T) {
	for _, tc := range []struct {
		name string
		img  image.Image
		want int64
	}{
		{"rgba", image.NewNRGBA(image.Rect(0, 0, 1, 1)), 4},
		{"rgba64", image.NewNRGBA64(image.Rect(0, 0, 1, 1)), 8},
		{"gray", image.NewGray(image.Rect(0, 0, 1, 1)), 1},
		{"gray16", image.NewGray16(image.Rect(0, 0, 1, 1)), 2},
	} {
		data := declaredPNG(t, tc.img, 1000, 1000)
		cost, err := decodeCost(data, decoders["image/png"].config)
		if err != nil || cost != tc.want*1_000_000 {
			t.Errorf("%s: decodeCost = %d, %v; want %d", tc.name, cost, err, tc.want*1_000_000)
		}
	}
	// A progressive JPEG keeps every coefficient of the whole image: 4
	// bytes a pixel of Y, 1 of Cb and of Cr subsampled 4:2:0 (image/jpeg's).
	baseline, progressive := jpegOf(t, false), jpegOf(t, true)
	cb, _ := decodeCost(baseline, decoders["image/jpeg"].config)
	cp, _ := decodeCost(progressive, decoders["image/jpeg"].config)
	if cp-cb != 6*64*64 {
		t.Errorf("progressive JPEG cost %d, baseline %d: want %d more", cp, cb, 6*64*64)
	}
}

// jpegOf is a small JPEG, its SOF0 marker made SOF2 for progressive (only
// the header is read).
func jpegOf(t *testing.T, progressive bool) []byte {
	t.Helper()
	data := encodeJPEGForTest(t, 64, 64)
	if progressive {
		i := bytes.Index(data, []byte{0xff, 0xc0})
		if i < 0 {
			t.Fatal("no SOF0")
		}
		data[i+1] = 0xc2
	}
	return data
}

// Fetched images have a lower limit than uploads.
func TestRemoteLimitLower(t *testing.T) {
	data := declaredPNG(t, image.NewNRGBA(image.Rect(0, 0, 1, 1)), 5000, 5000) // 100 MB decoded
	if _, err := processBytes(data, PurposeImage, remoteDecodeBudget); !errors.Is(err, ErrDimensions) {
		t.Errorf("remote: err = %v, want ErrDimensions", err)
	}
}

// One decode at a time, uploads and the cache alike: a second waits for
// the slot.
func TestDecodeSlotShared(t *testing.T) {
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 8, 8))); err != nil {
		t.Fatal(err)
	}
	decodeSlot <- struct{}{} // another decode holds the slot
	done := make(chan error, 1)
	before := decodeWaiting.Load()
	go func() {
		_, err := ProcessBytes(buf.Bytes(), PurposeImage)
		done <- err
	}()
	for decodeWaiting.Load() == before {
		runtime.Gosched()
	}
	select {
	case <-done:
		t.Fatal("ProcessBytes decoded while the slot was taken")
	default:
	}
	<-decodeSlot
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func encodeJPEGForTest(t *testing.T, w, h int) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, image.NewRGBA(image.Rect(0, 0, w, h)), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
