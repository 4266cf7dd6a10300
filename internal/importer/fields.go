package importer

import (
	"strings"
	"unicode"

	"codeberg.org/maillage/maillage/internal/fold"
)

// field is an Entry field that CSV columns and GeoJSON properties fill.
type field int

const (
	fNone field = iota
	fID
	fKind
	fName
	fDescription
	fDescriptionMore
	fCommitment
	fPlace
	fStreet
	fPostal
	fLocality
	fCountry
	fLat
	fLon
	fWebsite
	fEmail
	fPhone
	fURL
	fCategories
	fStatus
	fDeadline
	fRoles
	fOrg
	fOrgName
	fOrigin
	fSourceKey
	fLicence
	fListedBy
	fListedByURL
	fListedByID
	fLabels // the labels of the slugs beside them in maillage's CSV: read, not kept
)

// fieldNames maps column and property names, folded without punctuation
// (see fieldKey), to fields: maillage's own export columns and properties
// (internal/feeds csv.go, geojson.go) and the usual English and French
// names.
var fieldNames = map[string]field{
	"id": fID, "identifiant": fID, "sourceid": fID, "uid": fID,
	"kind": fKind,
	"name": fName, "nom": fName, "title": fName, "titre": fName, "denomination": fName, "raisonsociale": fName,
	"description": fDescription, "summary": fDescription, "resume": fDescription, "presentation": fDescription,
	"descriptionmore": fDescriptionMore,
	"commitment":      fCommitment, "engagement": fCommitment,
	"place": fPlace, "lieu": fPlace,
	"street": fStreet, "streetaddress": fStreet, "address": fStreet, "adresse": fStreet, "rue": fStreet,
	"postalcode": fPostal, "codepostal": fPostal, "cp": fPostal, "zip": fPostal, "zipcode": fPostal, "postcode": fPostal,
	"locality": fLocality, "addresslocality": fLocality, "city": fLocality, "ville": fLocality, "commune": fLocality,
	"country": fCountry, "addresscountry": fCountry, "pays": fCountry, "countrycode": fCountry,
	"lat": fLat, "latitude": fLat,
	"lon": fLon, "lng": fLon, "long": fLon, "longitude": fLon,
	"website": fWebsite, "siteweb": fWebsite, "site": fWebsite, "web": fWebsite, "siteinternet": fWebsite,
	"email": fEmail, "mail": fEmail, "courriel": fEmail, "emailaddress": fEmail,
	"telephone": fPhone, "phone": fPhone, "tel": fPhone, "mobile": fPhone, "portable": fPhone,
	"url":        fURL,
	"categories": fCategories, "category": fCategories, "categorie": fCategories, "tags": fCategories,
	"themes": fCategories, "theme": fCategories, "thematiques": fCategories, "thematique": fCategories,
	"sectors": fCategories, "sector": fCategories, "secteurs": fCategories, "secteur": fCategories,
	"status": fStatus, "statut": fStatus,
	"deadline": fDeadline, "echeance": fDeadline, "datelimite": fDeadline,
	"partnerroles": fRoles,
	"orgid":        fOrg,
	"organisation": fOrgName, "organization": fOrgName, "org": fOrgName,
	"source":       fOrigin,
	"sourcekey":    fSourceKey,
	"sectorlabels": fLabels, "partnerrolelabels": fLabels,
	// maillage's exports of organisations listed from an imported map:
	// the map, the entry's page and id at that map and its licence, which
	// become the entry's provenance (see builder.listed).
	"listedby": fListedBy, "listedbyurl": fListedByURL, "listedbyid": fListedByID, "licence": fLicence, "license": fLicence,
}

// fieldKey folds a column name and drops what is not a letter or digit
// ("Code postal", "code_postal" and "CodePostal" are "codepostal").
func fieldKey(name string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, fold.String(name))
}

// splitList splits a list cell on ";" or "|" (commas stay: category labels
// contain them, "Culture, médias et lien social").
func splitList(s string) []string {
	parts := strings.FieldsFunc(s, func(r rune) bool { return r == ';' || r == '|' })
	out := parts[:0]
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// set stores value v of field f in r. Lists may come as several values.
func (r *raw) set(f field, v string, list []string) {
	if list == nil && v != "" {
		list = splitList(v)
	}
	if v == "" && len(list) > 0 {
		v = strings.Join(list, ";")
	}
	switch f {
	case fID:
		r.id = v
	case fKind:
		r.kind = v
	case fName:
		r.name = v
	case fDescription:
		r.desc = v
	case fDescriptionMore:
		r.descMore = v
	case fCommitment:
		r.commitment = v
	case fPlace:
		r.placeName = v
	case fStreet:
		r.street = v
	case fPostal:
		r.postal = v
	case fLocality:
		r.locality = v
	case fCountry:
		r.country = v
	case fLat:
		r.lat = v
	case fLon:
		r.lon = v
	case fWebsite:
		r.website = v
	case fEmail:
		r.email = v
	case fPhone:
		if t := clean(v); t != "" {
			if placeholder(t) {
				r.hidden++
			} else {
				r.phones++
			}
		}
	case fURL:
		r.url = v
	case fCategories:
		for _, c := range list {
			r.paths = append(r.paths, []string{c})
		}
	case fStatus:
		r.status = v
	case fDeadline:
		r.deadline = v
	case fRoles:
		r.roles = append(r.roles, list...)
	case fOrg:
		r.org = v
	case fOrgName:
		r.orgName = v
	case fOrigin:
		r.origin = v
	case fSourceKey:
		r.srcKey = v
	case fLicence:
		r.licence = v
	case fListedBy:
		r.listedBy = v
	case fListedByURL:
		r.listedByURL = v
	case fListedByID:
		r.listedByID = v
	}
}

// columns maps names to fields; the first name for a field wins, and a
// "url" is the website when no website column exists (except in maillage's
// exports, recognised by their org_id).
func columns(names []string) (fields []field, ignored []string) {
	fields = make([]field, len(names))
	used := map[field]bool{}
	for i, n := range names {
		f := fieldNames[fieldKey(n)]
		if f == fNone || (used[f] && f != fCategories && f != fPhone && f != fLabels) {
			ignored = append(ignored, clip(clean(n), 60))
			continue
		}
		fields[i], used[f] = f, true
	}
	// maillage's GeoJSON has "url" (the page) and no website property.
	if !used[fWebsite] && !used[fOrg] {
		for i, f := range fields {
			if f == fURL {
				fields[i] = fWebsite
			}
		}
	}
	return fields, ignored
}
