package directory

import (
	"net/url"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
)

// OrgEntry is the entry of a local organisation. Callers skip the other
// local actors (model.Org.IsOrganisation), withdrawn imported entries
// (Withdrawn) and moved organisations (LocalListed does all three).
func OrgEntry(o model.Org, u uris.URIs) Entry {
	id := u.Actor(o.Name)
	e := profileEntry(o.Profile, orgTitle(o))
	e.ID, e.URL, e.Org = id, id, id
	e.Source, e.Local, e.Published = u.Host(), true, o.Created
	if o.Provenance.Listed() {
		e.Provenance = o.Provenance
	}
	return e
}

// Withdrawn reports whether p is the provenance of an imported entry that
// a later import no longer carried: it is kept, not listed.
func Withdrawn(p *model.Provenance) bool { return p.Listed() && !p.Withdrawn.IsZero() }

// LocalListed reports whether the local actor o has a directory entry:
// an organisation, not withdrawn from its import, not moved. A moved
// organisation is listed under its new actor, as Mastodon shows a moved
// account's new one instead (its page still points there).
func LocalListed(o model.Org) bool {
	return o.IsOrganisation() && !Withdrawn(o.Provenance) && o.MovedTo == ""
}

// ActorEntry is the entry of a remote organisation: an actor of type
// Organization that sent a maillage profile, and has not moved. Other
// actors have none.
func ActorEntry(a model.Actor) (Entry, bool) {
	if a.Profile == nil || a.Type != "Organization" || Withdrawn(a.Provenance) || a.MovedTo != "" {
		return Entry{}, false
	}
	e := profileEntry(*a.Profile, actorTitle(a))
	e.Provenance = a.Provenance
	e.ID, e.URL, e.Org = a.ID, webURL(a.URL), a.ID
	if e.URL == "" {
		e.URL = a.ID
	}
	// The actor carries no creation date: when it was last fetched is
	// the closest to "recent" there is.
	e.Source, e.Published = a.Host, a.Fetched
	return e, true
}

// profileEntry fills the fields an organisation's profile gives. The
// contact address never goes in: the directory can be exported in bulk.
func profileEntry(p model.Profile, name string) Entry {
	e := Entry{
		Kind:      KindOrg,
		Title:     name,
		Summary:   p.Summary,
		OrgName:   name,
		Sectors:   p.Sectors,
		Country:   p.Country,
		Status:    p.Status,
		LegalForm: p.LegalForm,
		Website:   webURL(p.Website),
	}
	setPlace(&e, p.Location)
	e.Image, e.ImageAlt = imageOf(p.Logo)
	if e.Image != "" && e.ImageAlt == "" {
		e.ImageAlt = name
	}
	return e
}

// ObjectEntry is the entry of a project or call by the organisation called
// orgName, from instance source (host[:port]). Notes and tombstones have
// none.
func ObjectEntry(o model.Object, orgName, source string) (Entry, bool) {
	if o.Kind != model.KindProject && o.Kind != model.KindCall || o.IsDeleted() {
		return Entry{}, false
	}
	e := Entry{
		ID:           o.ID,
		URL:          o.URL,
		Kind:         Kind(o.Kind),
		Title:        o.Title,
		Summary:      o.Summary,
		Org:          o.AttributedTo,
		OrgName:      orgName,
		Source:       source,
		Local:        o.Local,
		Sectors:      o.Sectors,
		Status:       o.Status,
		Deadline:     o.Deadline,
		PartnerRoles: o.PartnerRoles,
		Published:    o.Published,
	}
	if e.URL == "" {
		e.URL = o.ID // an object's ID is also its page
	}
	setPlace(&e, o.Location)
	e.Image, e.ImageAlt = imageOf(o.Image)
	return e, true
}

func setPlace(e *Entry, p *model.Place) {
	if p == nil {
		return
	}
	e.PlaceName, e.Lat, e.Lon = p.Name, p.Latitude, p.Longitude
	if e.Country == "" {
		e.Country = p.Country
	}
}

// orgTitle is the name the directory shows for a local organisation.
func orgTitle(o model.Org) string {
	if o.DisplayName != "" {
		return o.DisplayName
	}
	return o.Name
}

// actorTitle is the name the directory shows for a remote actor.
func actorTitle(a model.Actor) string {
	switch {
	case a.Profile != nil && a.Profile.DisplayName != "":
		return a.Profile.DisplayName
	case a.Name != "":
		return a.Name
	case a.Username != "":
		return a.Username
	}
	return a.ID
}

// webURL returns s if it is an http or https address, else "": a website
// field holding an e-mail or mailto: address must not reach the directory.
func webURL(s string) string {
	s = strings.TrimSpace(s)
	p, err := url.Parse(s)
	if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" || p.User != nil {
		return ""
	}
	return s
}
