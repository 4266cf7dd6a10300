package media

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"testing"
)

// exifOrientationBlock is an APP1 EXIF segment whose IFD0 holds only the
// orientation tag, in byte order bo.
func exifOrientationBlock(bo binary.ByteOrder, o uint16) []byte {
	var t bytes.Buffer
	if bo == binary.LittleEndian {
		t.WriteString("II")
	} else {
		t.WriteString("MM")
	}
	w := func(v any) { _ = binary.Write(&t, bo, v) }
	w(uint16(42))
	w(uint32(8))
	w(uint16(1))
	w([]uint16{0x0112, 3})
	w(uint32(1))
	w([]uint16{o, 0})
	w(uint32(0))
	payload := append([]byte("Exif\x00\x00"), t.Bytes()...)
	return append([]byte{0xFF, 0xE1, byte((len(payload) + 2) >> 8), byte(len(payload) + 2)}, payload...)
}

// sidewaysPhoto is an 80×40 JPEG, red in its top-left corner, blue
// elsewhere, whose EXIF says orientation o.
func sidewaysPhoto(t *testing.T, bo binary.ByteOrder, o uint16) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 80, 40))
	for y := range 40 {
		for x := range 80 {
			c := color.RGBA{0, 0, 255, 255}
			if x < 20 && y < 20 {
				c = color.RGBA{255, 0, 0, 255}
			}
			img.Set(x, y, c)
		}
	}
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	return append(append([]byte{0xFF, 0xD8}, exifOrientationBlock(bo, o)...), b.Bytes()[2:]...)
}

func TestEXIFOrientationApplied(t *testing.T) {
	red := func(img image.Image, x, y int) bool {
		r, _, b, _ := img.At(x, y).RGBA()
		return r > 0xA000 && b < 0x6000
	}
	for _, tc := range []struct {
		o          uint16
		bo         binary.ByteOrder
		w, h       int
		redX, redY int // where the red corner ends up
	}{
		{1, binary.LittleEndian, 80, 40, 5, 5},
		{3, binary.BigEndian, 80, 40, 75, 35},
		{6, binary.LittleEndian, 40, 80, 35, 5}, // turned clockwise: top-left goes top-right
		{8, binary.BigEndian, 40, 80, 5, 75},
	} {
		in := sidewaysPhoto(t, tc.bo, tc.o)
		if got := exifOrientation(in); got != int(tc.o) {
			t.Errorf("orientation %d read as %d", tc.o, got)
		}
		p, err := ProcessBytes(in, PurposeImage)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(p.Large.Data))
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != tc.w || b.Dy() != tc.h || p.Large.Width != tc.w {
			t.Errorf("orientation %d: %v, want %d×%d", tc.o, b, tc.w, tc.h)
		}
		if !red(img, tc.redX, tc.redY) {
			t.Errorf("orientation %d: the red corner is not at (%d, %d)", tc.o, tc.redX, tc.redY)
		}
		if bytes.Contains(p.Large.Data, []byte("Exif")) {
			t.Errorf("orientation %d: EXIF kept", tc.o)
		}
	}
	// Broken blocks read as "as stored", never a panic.
	good := sidewaysPhoto(t, binary.LittleEndian, 6)
	for n := range 64 {
		_ = exifOrientation(good[:n])
	}
	bad := bytes.Clone(good)
	bad[4+2+6+4] = 0xFF // IFD0 offset far past the block
	if got := exifOrientation(bad); got != 1 {
		t.Errorf("bad IFD offset: orientation %d", got)
	}
}
