package federation

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Size limits on remote text, in bytes, before sanitising.
const (
	maxRemoteContent = 64 << 10
	maxRemoteField   = 4 << 10
)

// ASToObject converts a received Note (or other post) into a model.Object.
// maillage's extension terms give back every structured field; a post from
// other software becomes KindNote. HTML is sanitised here, before storage.
func ASToObject(m map[string]any, san *sanitize.Policy) (model.Object, error) {
	o := model.Object{
		ID:           str(m, "id"),
		AttributedTo: iri(m["attributedTo"]),
		URL:          iri(m["url"]),
	}
	if !isHTTPIRI(o.ID) || !isHTTPIRI(o.AttributedTo) {
		return o, fmt.Errorf("%w: object needs http(s) id and attributedTo", ErrMalformed)
	}
	if o.URL == "" || !isHTTPIRI(o.URL) || !uris.SameOrigin(o.URL, o.ID) {
		o.URL = o.ID // as Mastodon: a url on another host than the id is not trusted
	}
	content := str(m, "content")
	if content == "" {
		if cm, ok := m["contentMap"].(map[string]any); ok {
			for _, v := range cm {
				content, _ = v.(string)
				break
			}
		}
	}
	if len(content) > maxRemoteContent {
		return o, fmt.Errorf("%w: content over %d bytes", ErrMalformed, maxRemoteContent)
	}
	o.Content = san.HTML(content)
	o.Published = parseTime(str(m, "published"))
	o.Updated = parseTime(str(m, "updated"))
	if o.Updated.IsZero() {
		o.Updated = o.Published
	}
	switch k := model.Kind(str(m, "kind")); k {
	case model.KindProject, model.KindCall:
		o.Kind = k
	default:
		o.Kind = model.KindNote
		o.Title = firstLine(sanitize.TextOfHTML(o.Content), model.MaxTitle) // not parsed twice
		return o, nil
	}
	o.Title = clip(sanitize.Text(str(m, "title")))
	o.Summary = clip(sanitize.Text(str(m, "pitch")))
	if src, ok := m["source"].(map[string]any); ok {
		o.Text = str(src, "content")
		if len(o.Text) > maxRemoteContent {
			return o, fmt.Errorf("%w: source over %d bytes", ErrMalformed, maxRemoteContent)
		}
	}
	o.Lang = str(m, "inLanguage")
	if tr, ok := m["translations"].(map[string]any); ok {
		o.Translations = map[string]model.Translation{}
		for lang, v := range tr {
			if tm, ok := v.(map[string]any); ok {
				o.Translations[lang] = model.Translation{Title: clip(sanitize.Text(str(tm, "title"))),
					Summary: clip(sanitize.Text(str(tm, "summary"))), Text: clipLong(str(tm, "text"))}
			}
		}
	}
	if ps, ok := m["partner"].([]any); ok {
		for _, p := range ps {
			if pm, ok := p.(map[string]any); ok {
				o.Partners = append(o.Partners, model.Partner{Name: clip(sanitize.Text(str(pm, "name"))), URL: str(pm, "url")})
			}
		}
	}
	if f, ok := m["fundingSought"].(map[string]any); ok {
		v, _ := f["value"].(float64)
		o.FundingSought = &model.Money{Amount: int64(v), Currency: str(f, "currency")}
	}
	o.EligibleCountries = strs(m["eligibleCountry"])
	o.RelatedProject = iri(m["project"])
	o.FundingProgramme = clip(sanitize.Text(str(m, "fundingProgramme")))
	o.FundingCallID = clip(sanitize.Text(str(m, "fundingCallId")))
	o.HowToRespond = clipLong(str(m, "howToRespond"))
	o.Sectors = strs(m["sector"])
	o.Status = str(m, "status")
	o.PartnerRoles = strs(m["partnerRole"])
	o.StartTime = timePtr(str(m, "startTime"))
	o.EndTime = timePtr(str(m, "endTime"))
	o.Deadline = timePtr(str(m, "deadline"))
	if loc, ok := m["location"].(map[string]any); ok {
		o.Location = asToPlace(loc)
	}
	if a := m["attachment"]; a != nil {
		o.Image = asToAttachedImage(a)
	}
	return o, nil
}

// ASToAudience classifies a received object's audience from its to and
// cc, or from its activity's when the object has none, as Mastodon does
// (app/lib/activitypub/parser/status_parser.rb #visibility, #audience_to):
// the Public collection in to is public, in cc only unlisted; the author's
// followers collection in to is followers-only; anything else is direct.
// GoToSocial decides the same (internal/ap/extract.go ExtractVisibility).
// followers is the author's followers collection; when it is unknown a
// followers-only object is classified direct, the narrower audience.
// addressed lists the to/cc entries that isLocal accepts, for a direct
// object's recipients, at most model.MaxAddressed.
func ASToAudience(activity, object map[string]any, followers string, isLocal func(string) bool) (aud model.Audience, addressed []string) {
	return audience(activity["to"], activity["cc"], object, followers, isLocal)
}

// audience is ASToAudience given the activity's to and cc.
func audience(activityTo, activityCc any, object map[string]any, followers string, isLocal func(string) bool) (aud model.Audience, addressed []string) {
	to, cc := addresses(object["to"]), addresses(object["cc"])
	if object["to"] == nil && object["cc"] == nil {
		to, cc = addresses(activityTo), addresses(activityCc)
	}
	switch {
	case slices.ContainsFunc(to, isPublicCollection):
		aud = model.AudiencePublic
	case slices.ContainsFunc(cc, isPublicCollection):
		aud = model.AudienceUnlisted
	case followers != "" && slices.Contains(to, followers):
		aud = model.AudienceFollowers
	default:
		aud = model.AudienceDirect
	}
	for _, a := range append(to, cc...) {
		if len(addressed) == model.MaxAddressed {
			break
		}
		if isLocal(a) && !slices.Contains(addressed, a) {
			addressed = append(addressed, a)
		}
	}
	return aud, addressed
}

// isPublicCollection is Mastodon's ActivityPub::TagManager#public_collection?
// (app/lib/activitypub/tag_manager.rb): the full IRI and its compact forms.
func isPublicCollection(a string) bool { return a == publicIRI || a == "as:Public" || a == "Public" }

// addresses reads an audience property: an IRI, an object with an id, or
// an array of these (Mastodon's value_or_id).
func addresses(v any) []string {
	var out []string
	add := func(e any) {
		if s := iri(e); s != "" {
			out = append(out, s)
		}
	}
	if arr, ok := v.([]any); ok {
		for _, e := range arr {
			add(e)
		}
	} else if v != nil {
		add(v)
	}
	return out
}

// audienceOf classifies the object embedded in in. The author's followers
// collection is read from its stored actor, fetched if needed, only when
// the Public collection is not addressed.
func (f *Federation) audienceOf(ctx context.Context, in *incoming) (model.Audience, []string) {
	aud, addressed := audience(in.To, in.Cc, in.Embed, "", f.uris.IsLocal)
	if aud != model.AudienceDirect {
		return aud, addressed
	}
	author, err := f.actor(ctx, in.Actor)
	if err != nil || author.Followers == "" {
		return aud, addressed // followers unknown: direct, the narrower
	}
	return audience(in.To, in.Cc, in.Embed, author.Followers, f.uris.IsLocal)
}

// ASToReply converts a Note answering one of our objects.
func ASToReply(m map[string]any, san *sanitize.Policy) (model.Reply, error) {
	o, err := ASToObject(m, san)
	if err != nil {
		return model.Reply{}, err
	}
	return model.Reply{ID: o.ID, InReplyTo: iri(m["inReplyTo"]), Actor: o.AttributedTo,
		Content: o.Content, URL: o.URL, Published: o.Published, Updated: o.Updated}, nil
}

// actorTypes are the types Mastodon accepts as actors (fetch_remote_actor_service.rb).
var actorTypes = map[string]bool{"Person": true, "Organization": true, "Application": true, "Service": true, "Group": true}

// ASToActor converts a fetched actor document. The key must be owned by
// the actor; text is sanitised, and every field bounded (see fitActor), so
// that the record stored or cached stays under store.MaxActorSize.
func ASToActor(m map[string]any, san *sanitize.Policy, now time.Time) (model.Actor, error) {
	a := model.Actor{ID: str(m, "id"), Type: str(m, "type"), Inbox: iri(m["inbox"]), Fetched: now}
	if !actorTypes[a.Type] {
		return a, fmt.Errorf("%w: %q is not an actor type", ErrMalformed, a.Type)
	}
	u, err := url.Parse(a.ID)
	if err != nil || !isHTTPIRI(a.ID) || !isHTTPIRI(a.Inbox) || len(a.ID) > maxActorIRI || len(a.Inbox) > maxActorIRI {
		return a, fmt.Errorf("%w: actor needs http(s) id and inbox of at most %d bytes", ErrMalformed, maxActorIRI)
	}
	a.Host = u.Host
	a.Username = clipTo(str(m, "preferredUsername"), maxActorName)
	a.Name = clipTo(sanitize.Text(str(m, "name")), maxActorName)
	a.Summary = san.HTML(clipTo(str(m, "summary"), maxActorSummary)) // cut before sanitising, as Mastodon
	a.URL = optionalIRI(iri(m["url"]))
	a.Outbox = optionalIRI(iri(m["outbox"]))
	a.Followers = optionalIRI(iri(m["followers"]))
	if ep, ok := m["endpoints"].(map[string]any); ok {
		a.SharedInbox = str(ep, "sharedInbox")
	}
	if a.SharedInbox == "" {
		a.SharedInbox = str(m, "sharedInbox")
	}
	if a.SharedInbox != "" && !isHTTPIRI(a.SharedInbox) {
		a.SharedInbox = ""
	}
	a.SharedInbox = optionalIRI(a.SharedInbox)
	if icon, ok := m["icon"].(map[string]any); ok {
		a.IconURL = iri(icon["url"])
	} else if s, ok := m["icon"].(string); ok {
		a.IconURL = s
	}
	a.IconURL = optionalIRI(a.IconURL)
	var key map[string]any
	switch k := m["publicKey"].(type) {
	case map[string]any:
		key = k
	case []any:
		for _, e := range k {
			if km, ok := e.(map[string]any); ok && iri(km["owner"]) == a.ID {
				key = km
				break
			}
		}
	}
	if key == nil {
		return a, fmt.Errorf("%w: actor %s has no publicKey", ErrMalformed, a.ID)
	}
	if iri(key["owner"]) != a.ID {
		return a, fmt.Errorf("%w: key of %s owned by %q", ErrMalformed, a.ID, iri(key["owner"]))
	}
	a.KeyID, a.PublicKeyPEM = str(key, "id"), str(key, "publicKeyPem")
	if a.KeyID == "" || a.PublicKeyPEM == "" {
		return a, fmt.Errorf("%w: actor %s key incomplete", ErrMalformed, a.ID)
	}
	if len(a.KeyID) > maxActorIRI || len(a.PublicKeyPEM) > maxPublicKeyPEM {
		return a, fmt.Errorf("%w: actor %s key id or key too long", ErrMalformed, a.ID)
	}
	if !uris.SameOrigin(a.KeyID, a.ID) {
		return a, fmt.Errorf("%w: key %s of %s is on another server", ErrMalformed, a.KeyID, a.ID)
	}
	a.AlsoKnownAs, a.MovedTo = asToAliases(m["alsoKnownAs"]), iri(m["movedTo"])
	if !model.IsActorIRI(a.MovedTo) {
		a.MovedTo = ""
	}
	if a.Type == "Organization" && (m["sector"] != nil || m["legalForm"] != nil || m["provenance"] != nil) {
		a.Profile = asToProfile(m, a)
		a.Provenance = asToProvenance(m["provenance"])
	}
	return fitActor(a)
}

// asToProfile reads the organisation profile a maillage actor carries.
// Each field that breaks the rules a local form applies is dropped, not
// the whole profile: the actor (and its key) must stay usable.
func asToProfile(m map[string]any, a model.Actor) *model.Profile {
	text := func(k string) string { return clip(sanitize.Text(str(m, k))) }
	p := model.Profile{DisplayName: a.Name, LegalName: text("legalName"), Summary: clipLong(sanitize.Text(str(m, "summary"))),
		Website: str(m, "website"), LegalForm: str(m, "legalForm"), LegalFormText: text("legalFormText"),
		Status: str(m, "status"), Country: str(m, "country"), Sectors: strs(m["sector"]), Languages: strs(m["knowsLanguage"]),
		Networks: strs(m["memberOf"]), ContactEmail: str(m, "email"), ContactURL: iri(m["contactUrl"]), IconURL: a.IconURL,
		Logo: asToImage(m["icon"]), Banner: asToImage(m["image"]),
		Region: text("areaServed")}
	for i := range p.Networks {
		p.Networks[i] = clip(sanitize.Text(p.Networks[i]))
	}
	if y, err := strconv.Atoi(str(m, "foundingDate")); err == nil {
		p.FoundingYear = y
	}
	if loc, ok := m["location"].(map[string]any); ok {
		p.Location = asToPlace(loc)
	}
	if p.DisplayName == "" {
		p.DisplayName = a.Username
	}
	check := model.Org{Instance: true, Profile: p}
	var ve *model.ValidationError
	if err := check.Validate(); errors.As(err, &ve) {
		name := p.DisplayName // already clipped, and required: kept
		for field := range ve.Fields {
			p.Clear(field)
		}
		p.DisplayName = name
	}
	return &p
}

func asToPlace(loc map[string]any) *model.Place {
	pl := &model.Place{Name: clip(sanitize.Text(str(loc, "name"))), Country: str(loc, "country")}
	lat, ok1 := loc["latitude"].(float64)
	lon, ok2 := loc["longitude"].(float64)
	if ok1 && ok2 {
		pl.Latitude, pl.Longitude = &lat, &lon
	}
	return pl
}

func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func timePtr(s string) *time.Time {
	if t := parseTime(s); !t.IsZero() {
		return &t
	}
	return nil
}

func clip(s string) string {
	if len(s) > maxRemoteField {
		s = strings.ToValidUTF8(s[:maxRemoteField], "")
	}
	return s
}

func firstLine(s string, max int) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		s = s[:i]
	}
	r := []rune(s)
	if len(r) > max {
		r = append(r[:max-1], '…')
	}
	return string(r)
}

// clipLong bounds long plain text (descriptions, instructions).
func clipLong(s string) string {
	if len(s) > maxRemoteContent {
		s = strings.ToValidUTF8(s[:maxRemoteContent], "")
	}
	return s
}
