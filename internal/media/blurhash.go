package media

import (
	"bytes"
	"image"
	"math"
	"strings"

	"golang.org/x/image/draw"
)

// Blurhash components: 4 across, 3 down, as Mastodon computes them
// (app/models/media_attachment.rb, BLURHASH_OPTIONS).
const blurX, blurY = 4, 3

// Blurhash is img's BlurHash (https://blurha.sh, the woltapp/blurhash
// algorithm): a short string that Mastodon and GoToSocial paint as a
// blurred placeholder while the picture loads. It is computed on a copy
// at most 32 pixels a side, which changes nothing visible in it.
func Blurhash(img *image.RGBA) string {
	small := fit(img, 32)
	w, h := small.Rect.Dx(), small.Rect.Dy()
	lin := make([][3]float64, w*h)
	for y := range h {
		for x := range w {
			p := small.Pix[y*small.Stride+4*x:]
			lin[y*w+x] = [3]float64{toLinear(p[0]), toLinear(p[1]), toLinear(p[2])}
		}
	}
	var factors [blurX * blurY][3]float64
	for j := range blurY {
		for i := range blurX {
			var f [3]float64
			for y := range h {
				by := math.Cos(math.Pi * float64(j) * float64(y) / float64(h))
				for x := range w {
					basis := math.Cos(math.Pi*float64(i)*float64(x)/float64(w)) * by
					for c := range 3 {
						f[c] += basis * lin[y*w+x][c]
					}
				}
			}
			norm := 2.0
			if i == 0 && j == 0 {
				norm = 1
			}
			scale := norm / float64(w*h)
			factors[j*blurX+i] = [3]float64{f[0] * scale, f[1] * scale, f[2] * scale}
		}
	}
	var b strings.Builder
	b.WriteString(base83((blurX-1)+(blurY-1)*9, 1))
	maxAC := 0.0
	for _, f := range factors[1:] {
		for _, v := range f {
			maxAC = max(maxAC, math.Abs(v))
		}
	}
	q := int(math.Max(0, math.Min(82, math.Floor(maxAC*166-0.5))))
	maxValue := float64(q+1) / 166
	b.WriteString(base83(q, 1))
	dc := factors[0]
	b.WriteString(base83(toSRGB(dc[0])<<16+toSRGB(dc[1])<<8+toSRGB(dc[2]), 4))
	for _, f := range factors[1:] {
		quant := func(v float64) int {
			return int(math.Max(0, math.Min(18, math.Floor(signPow(v/maxValue, 0.5)*9+9.5))))
		}
		b.WriteString(base83(quant(f[0])*19*19+quant(f[1])*19+quant(f[2]), 2))
	}
	return b.String()
}

// blurhashOf is the Blurhash of an encoded small size, as stored: the
// same whether computed at upload or again from the file (files.go).
func blurhashOf(data []byte) string {
	img, _, err := image.Decode(bytes.NewReader(data))
	if err != nil {
		return ""
	}
	rgba := image.NewRGBA(img.Bounds())
	draw.Draw(rgba, rgba.Bounds(), img, img.Bounds().Min, draw.Src)
	return Blurhash(rgba)
}

const base83Chars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"

func base83(v, length int) string {
	out := make([]byte, length)
	for i := length - 1; i >= 0; i-- {
		out[i] = base83Chars[v%83]
		v /= 83
	}
	return string(out)
}

func toLinear(c uint8) float64 {
	v := float64(c) / 255
	if v <= 0.04045 {
		return v / 12.92
	}
	return math.Pow((v+0.055)/1.055, 2.4)
}

func toSRGB(v float64) int {
	v = math.Max(0, math.Min(1, v))
	if v <= 0.0031308 {
		return int(v*12.92*255 + 0.5)
	}
	return int((1.055*math.Pow(v, 1/2.4)-0.055)*255 + 0.5)
}

func signPow(v, exp float64) float64 {
	return math.Copysign(math.Pow(math.Abs(v), exp), v)
}
