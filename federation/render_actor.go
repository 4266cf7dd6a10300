package federation

import (
	"fmt"
	"strings"

	"github.com/go-fed/activity/streams"
	"github.com/go-fed/activity/streams/vocab"

	"codeberg.org/maillage/maillage/internal/model"
)

// actorType is what the go-fed Organization and Application types offer.
type actorType interface {
	vocab.Type
	SetActivityStreamsPreferredUsername(vocab.ActivityStreamsPreferredUsernameProperty)
	SetActivityStreamsName(vocab.ActivityStreamsNameProperty)
	SetActivityStreamsSummary(vocab.ActivityStreamsSummaryProperty)
	SetActivityStreamsUrl(vocab.ActivityStreamsUrlProperty)
	SetActivityStreamsInbox(vocab.ActivityStreamsInboxProperty)
	SetActivityStreamsOutbox(vocab.ActivityStreamsOutboxProperty)
	SetActivityStreamsFollowers(vocab.ActivityStreamsFollowersProperty)
	SetActivityStreamsFollowing(vocab.ActivityStreamsFollowingProperty)
	SetActivityStreamsIcon(vocab.ActivityStreamsIconProperty)
	SetActivityStreamsPublished(vocab.ActivityStreamsPublishedProperty)
	SetW3IDSecurityV1PublicKey(vocab.W3IDSecurityV1PublicKeyProperty)
	SetTootDiscoverable(vocab.TootDiscoverableProperty)
}

// ActorMap renders a local actor: an Organization, the instance actor as
// an Application, or a member's Person. Fields follow what Mastodon reads
// (process_account_service.rb): attachment is an array of PropertyValue,
// endpoints.sharedInbox is set, the key's owner is the actor.
func (r *Renderer) ActorMap(o model.Org) (map[string]any, error) {
	var a actorType
	switch o.Kind() {
	case model.ActorInstance:
		a = streams.NewActivityStreamsApplication()
	case model.ActorPerson:
		a = streams.NewActivityStreamsPerson()
	default:
		a = streams.NewActivityStreamsOrganization()
	}
	id := r.URIs.Actor(o.Name)
	a.SetJSONLDId(idProp(id))
	pu := streams.NewActivityStreamsPreferredUsernameProperty()
	pu.SetXMLSchemaString(o.Handle())
	a.SetActivityStreamsPreferredUsername(pu)
	name := streams.NewActivityStreamsNameProperty()
	name.AppendXMLSchemaString(o.DisplayName)
	a.SetActivityStreamsName(name)
	if o.Summary != "" {
		s := streams.NewActivityStreamsSummaryProperty()
		s.AppendXMLSchemaString(TextToHTML(o.Summary))
		a.SetActivityStreamsSummary(s)
	}
	u := streams.NewActivityStreamsUrlProperty()
	u.AppendIRI(mustIRI(id))
	a.SetActivityStreamsUrl(u)
	inbox := streams.NewActivityStreamsInboxProperty()
	inbox.SetIRI(mustIRI(r.URIs.Inbox(o.Name)))
	a.SetActivityStreamsInbox(inbox)
	outbox := streams.NewActivityStreamsOutboxProperty()
	outbox.SetIRI(mustIRI(r.URIs.Outbox(o.Name)))
	a.SetActivityStreamsOutbox(outbox)
	followers := streams.NewActivityStreamsFollowersProperty()
	followers.SetIRI(mustIRI(r.URIs.Followers(o.Name)))
	a.SetActivityStreamsFollowers(followers)
	following := streams.NewActivityStreamsFollowingProperty()
	following.SetIRI(mustIRI(r.URIs.Following(o.Name)))
	a.SetActivityStreamsFollowing(following)
	if o.IconURL != "" {
		img := streams.NewActivityStreamsImage()
		iu := streams.NewActivityStreamsUrlProperty()
		iu.AppendIRI(mustIRI(o.IconURL))
		img.SetActivityStreamsUrl(iu)
		icon := streams.NewActivityStreamsIconProperty()
		icon.AppendActivityStreamsImage(img)
		a.SetActivityStreamsIcon(icon)
	}
	pub := streams.NewActivityStreamsPublishedProperty()
	pub.Set(o.Created.UTC())
	a.SetActivityStreamsPublished(pub)
	key := streams.NewW3IDSecurityV1PublicKey()
	key.SetJSONLDId(idProp(r.URIs.KeyID(o.Name)))
	owner := streams.NewW3IDSecurityV1OwnerProperty()
	owner.SetIRI(mustIRI(id))
	key.SetW3IDSecurityV1Owner(owner)
	pem := streams.NewW3IDSecurityV1PublicKeyPemProperty()
	pem.Set(o.PublicKeyPEM)
	key.SetW3IDSecurityV1PublicKeyPem(pem)
	keyProp := streams.NewW3IDSecurityV1PublicKeyProperty()
	keyProp.AppendW3IDSecurityV1PublicKey(key)
	a.SetW3IDSecurityV1PublicKey(keyProp)
	disc := streams.NewTootDiscoverableProperty()
	disc.Set(true)
	a.SetTootDiscoverable(disc)

	m, err := streams.Serialize(a)
	if err != nil {
		return nil, fmt.Errorf("federation: serialise actor %s: %w", o.Name, err)
	}
	delete(m, "@context")
	m["endpoints"] = map[string]any{"sharedInbox": r.URIs.SharedInbox()}
	// An empty featured collection: GoToSocial and Mastodon fetch it, and
	// GoToSocial logs an error on every refresh when it is missing.
	m["featured"] = id + "/featured"
	m["manuallyApprovesFollowers"] = o.ManualApprove
	m["indexable"] = true
	m["webfinger"] = o.Handle() + "@" + r.URIs.Host()
	if pk, ok := m["publicKey"].([]any); ok && len(pk) == 1 {
		m["publicKey"] = pk[0] // one key, as an object: what Mastodon and relays read
	}
	// As Mastodon's actor_serializer.rb: alsoKnownAs when there are aliases,
	// movedTo once moved (terms declared in ldContext as context_helper.rb does).
	if len(o.AlsoKnownAs) > 0 {
		m["alsoKnownAs"] = stringsToAny(o.AlsoKnownAs)
	}
	if o.MovedTo != "" {
		m["movedTo"] = o.MovedTo
	}
	if o.Kind() == model.ActorInstance {
		m["organisations"] = id + "/organisations" // instance_orgs.go
	}
	if o.Kind() == model.ActorPerson {
		m["attachment"] = []any{} // a member has no organisation profile
		return m, nil
	}
	m["attachment"] = profileFields(o)
	profileTerms(m, o.Profile)
	if m["sector"] == nil && o.Provenance != nil {
		// An imported organisation without sectors still carries
		// maillage's profile, which a receiver recognises by one of its
		// terms (convert.go): once claimed, its mai:provenance gone, it
		// stays listed on the instances that hold it. (An organisation
		// that never filled its profile is listed nowhere else.)
		m["sector"] = []any{}
	}
	r.profileImages(m, o)
	if pv := o.Provenance; pv.Listed() {
		m["provenance"] = provenanceTerms(*pv)
		// A role address read from a map is shown on the page here, but
		// the organisation never chose to publish it to every follower's
		// server: it travels once the organisation claims its entry and
		// its own profile rules.
		delete(m, "email")
	}
	return m, nil
}

// profileTerms writes the profile's structured fields as maillage terms.
func profileTerms(m map[string]any, p model.Profile) {
	for k, v := range map[string]string{"legalName": p.LegalName, "legalForm": p.LegalForm, "legalFormText": p.LegalFormText,
		"status": p.Status, "country": p.Country, "website": p.Website, "email": p.ContactEmail, "contactUrl": p.ContactURL,
		"areaServed": p.Region} {
		if v != "" {
			m[k] = v
		}
	}
	for k, v := range map[string][]string{"sector": p.Sectors, "knowsLanguage": p.Languages, "memberOf": p.Networks} {
		if len(v) > 0 {
			m[k] = stringsToAny(v)
		}
	}
	if p.FoundingYear != 0 {
		m["foundingDate"] = fmt.Sprintf("%04d", p.FoundingYear)
	}
	if l := p.Location; l != nil {
		place := map[string]any{"type": "Place", "name": l.Name}
		if l.Country != "" {
			place["country"] = l.Country
		}
		if l.Latitude != nil {
			place["latitude"], place["longitude"] = *l.Latitude, *l.Longitude
		}
		m["location"] = place
	}
}

// profileFields are the PropertyValue pairs Mastodon shows on a profile.
func profileFields(o model.Org) []any {
	fields := []any{}
	add := func(name, value string) {
		if value != "" {
			fields = append(fields, map[string]any{"type": "PropertyValue", "name": name, "value": value})
		}
	}
	if o.Website != "" {
		add("Website", fmt.Sprintf(`<a href="%s" rel="me nofollow noopener" target="_blank">%s</a>`, escAttr(o.Website), escText(o.Website)))
	}
	add("Country", escText(o.Country))
	add("Region", escText(o.Region))
	labels := make([]string, 0, len(o.Sectors))
	for _, s := range o.Sectors {
		for _, sec := range model.Sectors {
			if sec.Slug == s {
				labels = append(labels, sec.EN)
			}
		}
	}
	add("Sectors", escText(strings.Join(labels, ", ")))
	add("Legal form", escText(model.LegalFormLabel(o.LegalForm, o.LegalFormText)))
	return fields
}
