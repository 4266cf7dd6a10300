package federation

import (
	"fmt"
	"html"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// ReplyMap renders a reply written by one of our organisations: a Note in
// reply to the object, mentioning its author the way Mastodon writes
// mentions (an h-card link in the content and a Mention tag), so that
// Mastodon and GoToSocial show it in the thread and notify the author.
func (r *Renderer) ReplyMap(rep model.Reply) map[string]any {
	esc := html.EscapeString
	user := rep.ToHandle
	if i := indexByte(user, '@'); i > 0 {
		user = user[:i]
	}
	content := fmt.Sprintf(`<p><span class="h-card"><a href="%s" class="u-url mention">@<span>%s</span></a></span></p>%s`,
		esc(rep.ToActor), esc(user), TextToHTML(rep.Text))
	m := map[string]any{
		"id":           rep.ID,
		"type":         "Note",
		"attributedTo": rep.Actor,
		"inReplyTo":    rep.InReplyTo,
		"content":      content,
		"url":          rep.URL,
		"published":    rep.Published.UTC().Format(time.RFC3339),
		"to":           []any{publicIRI},
		"cc":           []any{rep.ToActor, r.URIs.FollowersOf(rep.Actor)},
		"tag":          []any{map[string]any{"type": "Mention", "href": rep.ToActor, "name": "@" + rep.ToHandle}},
		"sensitive":    false,
		"source":       map[string]any{"content": rep.Text, "mediaType": "text/plain"},
	}
	return m
}

func indexByte(s string, c byte) int {
	for i := 0; i < len(s); i++ {
		if s[i] == c {
			return i
		}
	}
	return -1
}
