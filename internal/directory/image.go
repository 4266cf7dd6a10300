package directory

import "codeberg.org/maillage/maillage/internal/model"

// imageOf is what an entry keeps of an image: the path of a local
// image's small size, or a remote image's URL, which the page shows only
// through the instance's cache (internal/media), never as a link.
func imageOf(im *model.Image) (src, alt string) {
	switch {
	case im == nil:
		return "", ""
	case im.IsLocal():
		return "/media/" + im.Thumb, im.Alt
	default:
		return im.URL, im.Alt
	}
}
