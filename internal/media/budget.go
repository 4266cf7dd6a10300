package media

import (
	"bytes"
	"image"
	"image/color"
	"io"
	"sync/atomic"
)

// Decode budgets, in bytes of memory a decode takes, checked from the
// header before decoding: pixels alone miss that a 16-bit PNG decodes into
// 8 bytes a pixel and that a progressive JPEG keeps every DCT coefficient
// of the whole image (image/jpeg's progCoeffs, 64 int32 a block and
// component) until its last scan.
const (
	// uploadDecodeBudget is 40 megapixels of RGBA.
	uploadDecodeBudget = 160_000_000
	// remoteDecodeBudget is for images fetched from other servers, which
	// the pages show at 1,200 px at most: 16 megapixels of RGBA.
	remoteDecodeBudget = 64_000_000
)

// decodeSlot lets one decode run at a time in the process, uploads and the
// remote cache's workers alike, so that the budget above is the most the
// decoders hold at once.
var (
	decodeSlot    = make(chan struct{}, 1)
	decodeWaiting atomic.Int64 // decodes that have asked for the slot (tests)
)

func acquireDecode() func() {
	decodeWaiting.Add(1)
	decodeSlot <- struct{}{}
	return func() { <-decodeSlot }
}

// decodeCost is the bytes the decoder of data will allocate, from its
// header.
func decodeCost(data []byte, config func(io.Reader) (image.Config, error)) (int64, error) {
	cfg, err := config(bytes.NewReader(data))
	if err != nil {
		return 0, err
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return 0, ErrDimensions
	}
	px := int64(cfg.Width) * int64(cfg.Height)
	var per int64
	switch cfg.ColorModel {
	case color.RGBA64Model, color.NRGBA64Model:
		per = 8
	case color.Gray16Model:
		per = 2
	case color.GrayModel:
		per = 1
	case color.YCbCrModel: // at most 4:4:4
		per = 3
	case color.CMYKModel:
		per = 4
	default:
		if _, ok := cfg.ColorModel.(color.Palette); ok {
			per = 1
		} else {
			per = 4
		}
	}
	// One int32 coefficient a pixel of each component, fewer for
	// subsampled components.
	return px*per + progressiveCoeffBytes(data, px), nil
}

// progressiveCoeffBytes is what image/jpeg holds in coefficients for a
// progressive JPEG of px pixels (0 for anything else): a [64]int32 block
// per 8×8 block of each component, subsampled ones by their factors. It
// walks the marker segments up to the first frame header.
func progressiveCoeffBytes(data []byte, px int64) int64 {
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return 0
	}
	for i := 2; i+4 <= len(data); {
		if data[i] != 0xff {
			return 0
		}
		m := data[i+1]
		switch {
		case m == 0xff: // fill byte
			i++
			continue
		case m == 0xd8 || (m >= 0xd0 && m <= 0xd7) || m == 0x01: // no length
			i += 2
			continue
		case m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc:
			if m != 0xc2 && m != 0xc6 && m != 0xca && m != 0xce {
				return 0
			}
			return frameCoeffBytes(data[i+4:], px)
		case m == 0xda || m == 0xd9:
			return 0
		}
		i += 2 + (int(data[i+2])<<8 | int(data[i+3]))
	}
	return 0
}

// frameCoeffBytes reads a frame header (after its length): precision,
// height, width, components, then id, sampling factors (h<<4|v) and table
// of each component.
func frameCoeffBytes(f []byte, px int64) int64 {
	if len(f) < 6 {
		return 16 * px // unreadable: the most, four components
	}
	n := int(f[5])
	if n == 0 || len(f) < 6+3*n {
		return 16 * px
	}
	var hmax, vmax, sum int64 = 1, 1, 0
	for c := range n {
		hv := f[6+3*c+1]
		hmax, vmax = max(hmax, int64(hv>>4)), max(vmax, int64(hv&15))
	}
	for c := range n {
		hv := f[6+3*c+1]
		sum += 4 * int64(hv>>4) * int64(hv&15)
	}
	return px * sum / (hmax * vmax)
}
