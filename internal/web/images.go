package web

import (
	"strings"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
)

// imageView is an image as a page shows it.
type imageView struct {
	Src, Alt      string
	Width, Height int
}

// localImage is a local image's large size, or its small one; nil for
// none (or a remote image: local pages show local images).
func localImage(im *model.Image, thumb bool, alt string) *imageView {
	if !im.IsLocal() {
		return nil
	}
	v := &imageView{Src: "/media/" + im.File, Alt: im.Alt, Width: im.Width, Height: im.Height}
	if thumb {
		v = &imageView{Src: "/media/" + im.Thumb, Alt: im.Alt}
	}
	if v.Alt == "" {
		v.Alt = alt
	}
	return v
}

// thumbs are the paths of the results' small images, by entry ID: a local
// image as it is, a remote one only once this instance has cached it (it
// is queued otherwise, and the card shows none). No page ever points a
// visitor's browser to another server.
func (h *Handler) thumbs(entries []directory.Entry) map[string]*imageView {
	out := map[string]*imageView{}
	for _, e := range entries {
		switch {
		case e.Image == "":
		case strings.HasPrefix(e.Image, "/media/"):
			out[e.ID] = &imageView{Src: e.Image, Alt: e.ImageAlt}
		case h.images != nil:
			if _, thumb, ok := h.images.Lookup(e.Image); ok {
				out[e.ID] = &imageView{Src: thumb, Alt: e.ImageAlt}
			} else {
				h.images.Want(e.Image)
			}
		}
	}
	return out
}

// ogImage is the absolute URL of a page's preview image, "" for none.
func (h *Handler) ogImage(v *imageView) (url, alt string) {
	if v == nil {
		return "", ""
	}
	return h.uris.Base + v.Src, v.Alt
}
