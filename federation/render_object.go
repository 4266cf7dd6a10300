package federation

import (
	"fmt"
	"html"
	"strings"
	"time"

	"github.com/go-fed/activity/streams"

	"codeberg.org/maillage/maillage/internal/model"
)

// ObjectMap renders a local project or call as a Note: Mastodon shows only
// Note and Question in full (app/lib/activitypub/activity.rb, SUPPORTED_TYPES
// against CONVERTED_TYPES), and GoToSocial turns `name`
// or `summary` into a content warning, so the title goes into the content
// and mai:title, the pitch into mai:pitch, and the structured fields into
// maillage's extension terms.
func (r *Renderer) ObjectMap(o model.Object) (map[string]any, error) {
	note := streams.NewActivityStreamsNote()
	note.SetJSONLDId(idProp(o.ID))
	attr := streams.NewActivityStreamsAttributedToProperty()
	attr.AppendIRI(mustIRI(o.AttributedTo))
	note.SetActivityStreamsAttributedTo(attr)
	content := streams.NewActivityStreamsContentProperty()
	content.AppendXMLSchemaString(r.noteContent(o))
	note.SetActivityStreamsContent(content)
	u := streams.NewActivityStreamsUrlProperty()
	u.AppendIRI(mustIRI(o.URL))
	note.SetActivityStreamsUrl(u)
	to := streams.NewActivityStreamsToProperty()
	to.AppendIRI(mustIRI(publicIRI))
	note.SetActivityStreamsTo(to)
	cc := streams.NewActivityStreamsCcProperty()
	cc.AppendIRI(mustIRI(r.URIs.FollowersOf(o.AttributedTo)))
	note.SetActivityStreamsCc(cc)
	pub := streams.NewActivityStreamsPublishedProperty()
	pub.Set(o.Published.UTC())
	note.SetActivityStreamsPublished(pub)
	if o.Updated.After(o.Published) {
		up := streams.NewActivityStreamsUpdatedProperty()
		up.Set(o.Updated.UTC())
		note.SetActivityStreamsUpdated(up)
	}
	if o.StartTime != nil {
		p := streams.NewActivityStreamsStartTimeProperty()
		p.Set(o.StartTime.UTC())
		note.SetActivityStreamsStartTime(p)
	}
	if o.EndTime != nil {
		p := streams.NewActivityStreamsEndTimeProperty()
		p.Set(o.EndTime.UTC())
		note.SetActivityStreamsEndTime(p)
	}
	if o.Location != nil {
		place := streams.NewActivityStreamsPlace()
		if o.Location.Name != "" {
			n := streams.NewActivityStreamsNameProperty()
			n.AppendXMLSchemaString(o.Location.Name)
			place.SetActivityStreamsName(n)
		}
		if o.Location.Latitude != nil {
			lat := streams.NewActivityStreamsLatitudeProperty()
			lat.Set(*o.Location.Latitude)
			place.SetActivityStreamsLatitude(lat)
			lon := streams.NewActivityStreamsLongitudeProperty()
			lon.Set(*o.Location.Longitude)
			place.SetActivityStreamsLongitude(lon)
		}
		loc := streams.NewActivityStreamsLocationProperty()
		loc.AppendActivityStreamsPlace(place)
		note.SetActivityStreamsLocation(loc)
	}
	m, err := streams.Serialize(note)
	if err != nil {
		return nil, fmt.Errorf("federation: serialise note %s: %w", o.ID, err)
	}
	delete(m, "@context")
	if o.Location != nil && o.Location.Country != "" {
		if place, ok := m["location"].(map[string]any); ok {
			place["country"] = o.Location.Country
		}
	}
	m["sensitive"] = false
	m["kind"] = string(o.Kind)
	m["title"] = o.Title
	if o.Summary != "" {
		m["pitch"] = o.Summary
	}
	if o.Text != "" {
		m["source"] = map[string]any{"content": o.Text, "mediaType": "text/markdown"}
	}
	if o.Lang != "" {
		m["inLanguage"] = o.Lang
		cm := map[string]any{o.Lang: m["content"]}
		for lang, tr := range o.Translations {
			t := o
			t.Title, t.Summary, t.Text = orDefault(tr.Title, o.Title), orDefault(tr.Summary, o.Summary), orDefault(tr.Text, o.Text)
			cm[lang] = r.noteContent(t)
		}
		m["contentMap"] = cm
	}
	if len(o.Translations) > 0 {
		m["translations"] = o.Translations
	}
	if len(o.Partners) > 0 {
		ps := make([]any, len(o.Partners))
		for i, p := range o.Partners {
			ps[i] = map[string]any{"name": p.Name, "url": p.URL}
		}
		m["partner"] = ps
	}
	if f := o.FundingSought; f != nil {
		m["fundingSought"] = map[string]any{"type": "MonetaryAmount", "currency": f.Currency, "value": f.Amount}
	}
	if len(o.EligibleCountries) > 0 {
		m["eligibleCountry"] = stringsToAny(o.EligibleCountries)
	}
	for k, v := range map[string]string{"project": o.RelatedProject, "fundingProgramme": o.FundingProgramme,
		"fundingCallId": o.FundingCallID, "howToRespond": o.HowToRespond} {
		if v != "" {
			m[k] = v
		}
	}
	m["sector"] = stringsToAny(o.Sectors)
	if o.Status != "" {
		m["status"] = o.Status
	}
	if o.Deadline != nil {
		m["deadline"] = o.Deadline.UTC().Format(time.RFC3339)
	}
	if len(o.PartnerRoles) > 0 {
		m["partnerRole"] = stringsToAny(o.PartnerRoles)
	}
	tags := make([]any, 0, len(o.Sectors))
	for _, s := range o.Sectors {
		tags = append(tags, map[string]any{"type": "Hashtag", "name": "#" + model.SectorHashtag(s), "href": r.URIs.Tag(s)})
	}
	m["tag"] = tags
	replies := r.URIs.Replies(o.ID)
	// The first page is embedded, as Mastodon does: GoToSocial reads
	// threads only from an embedded page. ServeObject fills its items.
	m["replies"] = map[string]any{"id": replies, "type": "OrderedCollection", "first": map[string]any{
		"id": replies + "?page=1", "type": "OrderedCollectionPage", "partOf": replies, "orderedItems": []any{}}}
	r.objectImage(m, o)
	forceArrays(m, "to", "cc")
	return m, nil
}

// noteContent is the HTML a Mastodon user reads in a home timeline: title,
// what kind of post it is with its key facts, pitch, text, hashtags, link.
func (r *Renderer) noteContent(o model.Object) string {
	var b strings.Builder
	esc := html.EscapeString
	fmt.Fprintf(&b, "<p><strong>%s</strong></p>", esc(o.Title))
	var facts []string
	switch o.Kind {
	case model.KindCall:
		facts = append(facts, "Call for partnership")
		if len(o.PartnerRoles) > 0 {
			facts = append(facts, "seeking "+strings.Join(o.PartnerRoles, ", "))
		}
		if o.Deadline != nil {
			facts = append(facts, "answer by "+o.Deadline.UTC().Format("2 January 2006"))
		}
	case model.KindProject:
		facts = append(facts, "Project")
	}
	if o.Location != nil && o.Location.Name != "" {
		facts = append(facts, o.Location.Name)
	}
	fmt.Fprintf(&b, "<p>%s</p>", esc(strings.Join(facts, " · ")))
	if o.Summary != "" {
		fmt.Fprintf(&b, "<p>%s</p>", esc(o.Summary))
	}
	b.WriteString(r.San.Markdown(o.Text))
	if len(o.Sectors) > 0 {
		b.WriteString("<p>")
		for i, s := range o.Sectors {
			if i > 0 {
				b.WriteString(" ")
			}
			fmt.Fprintf(&b, `<a href="%s" class="mention hashtag" rel="tag">#<span>%s</span></a>`, esc(r.URIs.Tag(s)), esc(model.SectorHashtag(s)))
		}
		b.WriteString("</p>")
	}
	fmt.Fprintf(&b, `<p><a href="%s">%s</a></p>`, esc(o.URL), esc(o.URL))
	return b.String()
}

// TextToHTML renders plain text as escaped paragraphs: blank lines separate
// paragraphs, single newlines become <br>.
func TextToHTML(text string) string {
	var b strings.Builder
	for _, para := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		para = strings.TrimSpace(para)
		if para == "" {
			continue
		}
		lines := strings.Split(para, "\n")
		for i := range lines {
			lines[i] = html.EscapeString(lines[i])
		}
		fmt.Fprintf(&b, "<p>%s</p>", strings.Join(lines, "<br>"))
	}
	return b.String()
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
