package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// Limits on what Process reads.
const (
	// MaxBytes is the largest file read, uploaded or fetched.
	MaxBytes = 8 << 20
	// MaxSide and MaxPixels bound the declared dimensions, checked before
	// decoding; the bytes the decoder takes are bounded too (budget.go).
	MaxSide   = 12000
	MaxPixels = 40_000_000
	// ThumbSide is the small size of every image: directory cards, the
	// map's list, a logo beside a name (twice the CSS size, for dense screens).
	ThumbSide = 320
)

// Errors of Process, for the form to say what is wrong.
var (
	ErrTooLarge   = errors.New("media: file too large")
	ErrNotImage   = errors.New("media: not a JPEG, PNG, GIF or WebP image")
	ErrDimensions = errors.New("media: image dimensions too large")
)

// Purpose is what an image is for, which sets its large size.
type Purpose int

const (
	PurposeImage  Purpose = iota // a project's or call's image: up to 1200 px
	PurposeLogo                  // an organisation's logo: up to 400 px
	PurposeBanner                // an organisation's banner: up to 1500 px
)

func (p Purpose) largeSide() int {
	switch p {
	case PurposeLogo:
		return 400
	case PurposeBanner:
		return 1500
	}
	return 1200
}

// Encoded is one size of a processed image.
type Encoded struct {
	Data          []byte
	Ext           string // "jpg" or "png"
	MediaType     string // image/jpeg or image/png
	Width, Height int
}

// Processed is an image in the sizes the pages use.
type Processed struct {
	Large, Thumb Encoded
	Blurhash     string // blurhash.go
}

// decoders by sniffed type: each format is decoded by its own package,
// never by image.Decode's registry, so a file is read only as what its
// bytes say it is.
var decoders = map[string]struct {
	config     func(io.Reader) (image.Config, error)
	decode     func(io.Reader) (image.Image, error)
	orientable bool // may carry an EXIF orientation (orient.go)
}{
	"image/jpeg": {jpeg.DecodeConfig, jpeg.Decode, true},
	"image/png":  {png.DecodeConfig, png.Decode, false},
	"image/gif":  {gif.DecodeConfig, gif.Decode, false}, // the first frame
	"image/webp": {webp.DecodeConfig, webp.Decode, false},
}

// Read reads at most MaxBytes from r; ErrTooLarge past that.
func Read(r io.Reader) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: read: %w", err)
	}
	if len(data) > MaxBytes {
		return nil, ErrTooLarge
	}
	return data, nil
}

// Process reads an image from r and re-encodes it in the sizes of p.
func Process(r io.Reader, p Purpose) (Processed, error) {
	data, err := Read(r)
	if err != nil {
		return Processed{}, err
	}
	return ProcessBytes(data, p)
}

// ProcessBytes is Process of bytes already read (at most MaxBytes), with
// the budget of an upload.
func ProcessBytes(data []byte, p Purpose) (Processed, error) {
	return processBytes(data, p, uploadDecodeBudget)
}

// processBytes decodes data if its decoder would take at most budget bytes
// (budget.go), one decode at a time.
func processBytes(data []byte, p Purpose, budget int64) (Processed, error) {
	if len(data) > MaxBytes {
		return Processed{}, ErrTooLarge
	}
	// The type comes from the bytes (the WHATWG sniffing rules), never
	// from a file name or a Content-Type header.
	dec, ok := decoders[http.DetectContentType(data)]
	if !ok {
		return Processed{}, ErrNotImage
	}
	cfg, err := dec.config(bytes.NewReader(data))
	if err != nil {
		return Processed{}, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width > MaxSide || cfg.Height > MaxSide ||
		int64(cfg.Width)*int64(cfg.Height) > MaxPixels {
		return Processed{}, fmt.Errorf("%w: %d×%d", ErrDimensions, cfg.Width, cfg.Height)
	}
	if cost, err := decodeCost(data, dec.config); err != nil || cost > budget {
		return Processed{}, fmt.Errorf("%w: %d×%d needs %d MB to decode", ErrDimensions, cfg.Width, cfg.Height, cost/1_000_000)
	}
	defer acquireDecode()()
	img, err := dec.decode(bytes.NewReader(data))
	if err != nil {
		return Processed{}, fmt.Errorf("%w: %v", ErrNotImage, err)
	}
	opaque := isOpaque(img)
	large := fit(img, p.largeSide())
	if dec.orientable {
		large = orient(large, exifOrientation(data))
	}
	out := Processed{}
	if out.Large, err = encode(large, opaque); err != nil {
		return Processed{}, err
	}
	thumb := fit(large, ThumbSide)
	if out.Thumb, err = encode(thumb, opaque); err != nil {
		return Processed{}, err
	}
	out.Blurhash = blurhashOf(out.Thumb.Data)
	return out, nil
}

// fit scales img down so that its longer side is at most side; a smaller
// image is copied as it is (into RGBA, which every encoder takes).
//
// x/image/draw's kernels (Catmull-Rom, bilinear) keep a float buffer of
// the destination's width by the source's height: 115 MB for a 12
// megapixel photo. So a large reduction is done in two steps that need no
// buffer: ApproxBiLinear to twice the size, then an average of each 2×2
// block, which removes the aliasing the first step leaves.
func fit(img image.Image, side int) *image.RGBA {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > side || h > side {
		if w >= h {
			w, h = side, max(1, h*side/w)
		} else {
			w, h = max(1, w*side/h), side
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	switch {
	case w == b.Dx() && h == b.Dy():
		draw.Draw(dst, dst.Bounds(), img, b.Min, draw.Src)
	case b.Dx() >= 2*w && b.Dy() >= 2*h:
		twice := image.NewRGBA(image.Rect(0, 0, 2*w, 2*h))
		draw.ApproxBiLinear.Scale(twice, twice.Bounds(), img, b, draw.Src, nil)
		halve(dst, twice)
	default:
		draw.ApproxBiLinear.Scale(dst, dst.Bounds(), img, b, draw.Src, nil)
	}
	return dst
}

// halve sets each pixel of dst to the average of the 2×2 block of src
// under it; src is twice dst's size. RGBA is premultiplied, so averaging
// its channels is right for transparent pixels too.
func halve(dst, src *image.RGBA) {
	w, h := dst.Rect.Dx(), dst.Rect.Dy()
	for y := range h {
		r0 := src.Pix[2*y*src.Stride:]
		r1 := src.Pix[(2*y+1)*src.Stride:]
		out := dst.Pix[y*dst.Stride:]
		for x := range w {
			i := 8 * x
			for c := range 4 {
				sum := uint32(r0[i+c]) + uint32(r0[i+4+c]) + uint32(r1[i+c]) + uint32(r1[i+4+c])
				out[4*x+c] = uint8((sum + 2) / 4)
			}
		}
	}
}

// isOpaque reports whether img has no transparent pixel; transparent
// images (logos) stay PNG, the others become JPEG.
func isOpaque(img image.Image) bool {
	if o, ok := img.(interface{ Opaque() bool }); ok {
		return o.Opaque()
	}
	return false
}

func encode(img *image.RGBA, opaque bool) (Encoded, error) {
	var buf bytes.Buffer
	e := Encoded{Width: img.Bounds().Dx(), Height: img.Bounds().Dy()}
	if opaque {
		e.Ext, e.MediaType = "jpg", "image/jpeg"
		if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 85}); err != nil {
			return e, fmt.Errorf("media: encode: %w", err)
		}
	} else {
		e.Ext, e.MediaType = "png", "image/png"
		enc := png.Encoder{CompressionLevel: png.BestCompression}
		if err := enc.Encode(&buf, img); err != nil {
			return e, fmt.Errorf("media: encode: %w", err)
		}
	}
	e.Data = buf.Bytes()
	return e, nil
}
