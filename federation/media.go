package federation

import (
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
)

// maxImageAlt bounds a remote image's alt text, in bytes, before it is
// sanitised: Mastodon's own limit is 1,500 characters
// (app/models/media_attachment.rb, MAX_DESCRIPTION_LENGTH).
const maxImageAlt = 1500

// imageMap renders a local image as an ActivityStreams Image, the shape
// Mastodon reads for an actor's icon and image
// (app/services/activitypub/process_account_service.rb, image_url) and
// for a Note's attachment (app/lib/activitypub/parser/media_attachment_parser.rb:
// url, name or summary as the description, width and height); GoToSocial
// writes the same for its own attachments (internal/typeutils/internaltoas.go).
func (r *Renderer) imageMap(im *model.Image) map[string]any {
	m := map[string]any{"type": "Image", "url": r.URIs.Media(im.File)}
	if im.MediaType != "" {
		m["mediaType"] = im.MediaType
	}
	if im.Alt != "" {
		m["name"] = im.Alt
	}
	if im.Width > 0 && im.Height > 0 {
		m["width"], m["height"] = im.Width, im.Height
	}
	if im.Blurhash != "" {
		m["blurhash"] = im.Blurhash
	}
	return m
}

// profileImages sets a local actor's icon (the logo, else the icon URL
// typed in the profile) and image (the banner).
func (r *Renderer) profileImages(m map[string]any, o model.Org) {
	if o.Logo.IsLocal() {
		logo := *o.Logo
		if logo.Alt == "" {
			logo.Alt = o.DisplayName
		}
		m["icon"] = r.imageMap(&logo)
	}
	if o.Banner.IsLocal() {
		m["image"] = r.imageMap(o.Banner)
	}
}

// objectImage adds a local object's image as its one attachment.
func (r *Renderer) objectImage(m map[string]any, o model.Object) {
	if o.Image.IsLocal() {
		m["attachment"] = []any{r.imageMap(o.Image)}
	}
}

// asToImage reads an image as the fediverse sends one: an IRI, an Image
// or Link object (url an IRI, a Link, or an array of them), or an array
// of those, of which the first usable is taken. Only http(s) URLs are
// kept; whatever they point to is checked when this instance fetches it
// (internal/media), never by a visitor's browser.
func asToImage(v any) *model.Image {
	switch v := v.(type) {
	case string:
		if isHTTPIRI(v) && len(v) <= maxActorIRI {
			return &model.Image{URL: v}
		}
	case []any:
		for _, e := range v {
			if im := asToImage(e); im != nil {
				return im
			}
		}
	case map[string]any:
		t := str(v, "type")
		mt := str(v, "mediaType")
		if mt != "" && !strings.HasPrefix(mt, "image/") {
			return nil // a video or a document: not shown
		}
		if t != "" && t != "Image" && t != "Document" && t != "Link" {
			return nil
		}
		u := v["url"]
		if t == "Link" {
			u = v["href"]
		}
		im := asToImage(u)
		if im == nil {
			return nil
		}
		im.MediaType = mt
		alt := str(v, "name")
		if alt == "" {
			alt = str(v, "summary")
		}
		im.Alt = clipTo(sanitize.Text(clipTo(alt, maxImageAlt)), maxImageAlt)
		w, _ := v["width"].(float64)
		h, _ := v["height"].(float64)
		if w > 0 && h > 0 && w <= 100_000 && h <= 100_000 {
			im.Width, im.Height = int(w), int(h)
		}
		return im
	}
	return nil
}

// asToAttachedImage is the first image among a post's attachments.
func asToAttachedImage(v any) *model.Image {
	list, ok := v.([]any)
	if !ok {
		list = []any{v}
	}
	for i, e := range list {
		if i == 4 { // Mastodon reads at most 4 (Status::MEDIA_ATTACHMENTS_LIMIT)
			break
		}
		if _, ok := e.(map[string]any); !ok {
			continue // a bare IRI says nothing of what it is
		}
		if im := asToImage(e); im != nil {
			return im
		}
	}
	return nil
}
