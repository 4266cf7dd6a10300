package media

import (
	"image"
	"image/color"
	"testing"
)

func TestBlurhash(t *testing.T) {
	solid := image.NewRGBA(image.Rect(0, 0, 64, 48))
	for i := 0; i < len(solid.Pix); i += 4 {
		copy(solid.Pix[i:], []byte{255, 0, 0, 255})
	}
	// One colour: the size flag, then (the reference algorithm sums
	// cos(π·i·x/w) over whole pixels, which leaves 2/w in the first
	// components: 2/24 on the 32×24 copy) a maximum of 13, then the
	// colour itself, 255,0,0, in four characters.
	got := Blurhash(solid)
	if len(got) != 4+2*blurX*blurY || got[:6] != base83(3+2*9, 1)+base83(13, 1)+base83(255<<16, 4) {
		t.Errorf("solid red = %q", got)
	}
	if Blurhash(solid) != got {
		t.Error("not deterministic")
	}
	// A left-to-right ramp: 28 characters, not flat.
	ramp := image.NewRGBA(image.Rect(0, 0, 300, 200))
	for y := range 200 {
		for x := range 300 {
			ramp.Set(x, y, color.RGBA{uint8(x * 255 / 299), 80, 160, 255})
		}
	}
	h := Blurhash(ramp)
	if len(h) != 4+2*blurX*blurY || h == got {
		t.Errorf("ramp = %q", h)
	}
}
