package model

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// Image is a picture shown with a profile (logo, banner) or an object. A
// local image is two files in the data directory, named by the SHA-256 of
// their bytes (the store holds only these names); a remote one is the URL
// its server gives, shown only through this instance's cache, never
// linked to.
type Image struct {
	File      string `json:"file,omitempty"`  // local: large size, "{sha256}.jpg" or ".png"
	Thumb     string `json:"thumb,omitempty"` // local: small size, for cards
	URL       string `json:"url,omitempty"`   // remote: where its server serves it
	MediaType string `json:"media_type,omitempty"`
	Width     int    `json:"width,omitempty"` // of File (local) or as announced (remote)
	Height    int    `json:"height,omitempty"`
	Alt       string `json:"alt,omitempty"` // what it shows, for who cannot see it
	// Blurhash is a local image's placeholder, which Mastodon and
	// GoToSocial paint while it loads (https://blurha.sh).
	Blurhash string `json:"blurhash,omitempty"`
}

// MaxAlt is the longest alt text, in characters: Mastodon's
// MediaAttachment::MAX_DESCRIPTION_LENGTH (app/models/media_attachment.rb).
const MaxAlt = 1500

// mediaNameRE is a local media file's name: a content hash and the
// extension of the formats this instance writes.
var mediaNameRE = regexp.MustCompile(`^[0-9a-f]{64}\.(jpg|png)$`)

// blurhashChars are Blurhash's base 83 digits.
const blurhashChars = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"

// IsMediaName reports whether name is a local media file's name.
func IsMediaName(name string) bool { return mediaNameRE.MatchString(name) }

// IsLocal reports whether the image is stored on this instance.
func (im *Image) IsLocal() bool { return im != nil && im.File != "" }

// checkImage validates an image of field; altRequired for the images that
// say something (a project's or call's), not the logo, whose alt text is
// the organisation's name when left empty.
func checkImage(p problems, field string, im *Image, altRequired bool) {
	if im == nil {
		return
	}
	switch {
	case im.File != "" && (!IsMediaName(im.File) || !IsMediaName(im.Thumb)):
		p.add(field, "validation.image")
	case im.File == "" && im.URL != "" && !isHTTPURL(im.URL):
		p.add(field, "validation.url")
	case im.File == "" && im.URL == "":
		p.add(field, "validation.image")
	}
	if im.Width < 0 || im.Height < 0 || len(im.Blurhash) > 100 || strings.Trim(im.Blurhash, blurhashChars) != "" {
		p.add(field, "validation.image")
	}
	n := utf8.RuneCountInString(im.Alt)
	switch {
	case altRequired && im.File != "" && n == 0:
		p.add(field+"_alt", "validation.required")
	case n > MaxAlt:
		p.add(field+"_alt", "validation.max_chars", MaxAlt)
	case !utf8.ValidString(im.Alt):
		p.add(field+"_alt", "validation.utf8")
	}
}
