package model

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"
)

// ValidationError lists the problems of an input, field by field.
type ValidationError struct {
	Fields map[string]string
}

func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// problems collects field errors; err returns nil when there are none.
type problems map[string]string

func (p problems) add(field, format string, args ...any) {
	if _, ok := p[field]; !ok {
		p[field] = fmt.Sprintf(format, args...)
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Fields: p}
}

// Limits on text fields, in characters.
const (
	MaxTitle   = 200
	MaxSummary = 500
	MaxText    = 20000
	MaxName    = 100
)

var (
	usernameRE = regexp.MustCompile(`^[a-z0-9_]+([.-]+[a-z0-9_]+)*$`)
	countryRE  = regexp.MustCompile(`^[A-Z]{2}$`)
	langRE     = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$`)
	currencyRE = regexp.MustCompile(`^[A-Z]{3}$`)
	emailRE    = regexp.MustCompile(`^[^@\s<>"]+@[^@\s<>"]+\.[^@\s<>"]+$`)
)

// Limits on lists.
const (
	MaxListItems = 20
	MaxLongText  = 2000
)

// ValidName checks an organisation's local name: Mastodon's username syntax
// (app/models/account.rb), at most 30 characters, not reserved.
func ValidName(name string) error {
	p := problems{}
	switch {
	case name == InstanceName:
		p.add("name", "%q is reserved", name)
	case len(name) == 0 || len(name) > 30 || !usernameRE.MatchString(name):
		p.add("name", "use 1 to 30 lower-case letters, digits, _ . or -")
	}
	return p.err()
}

// Validate checks an organisation profile.
func (o *Org) Validate() error {
	p := problems{}
	if !o.Instance {
		if err := ValidName(o.Name); err != nil {
			p.add("name", "%s", err.(*ValidationError).Fields["name"])
		}
	}
	checkText(p, "display_name", o.DisplayName, MaxName, true)
	checkText(p, "summary", o.Summary, MaxSummary, false)
	if o.Country != "" && !countryRE.MatchString(o.Country) {
		p.add("country", "use a two-letter ISO 3166 code such as FR")
	}
	checkText(p, "legal_name", o.LegalName, MaxName, false)
	checkSectors(p, o.Sectors, false)
	checkURL(p, "website", o.Website)
	checkURL(p, "contact_url", o.ContactURL)
	checkURL(p, "icon_url", o.IconURL)
	if o.LegalForm != "" && !IsLegalForm(o.LegalForm) {
		p.add("legal_form", "choose a legal form from the list")
	}
	checkText(p, "legal_form_text", o.LegalFormText, MaxName, false)
	if o.Status != "" && !contains(OrgStatuses, o.Status) {
		p.add("status", "must be one of %s", strings.Join(OrgStatuses, ", "))
	}
	if o.Location != nil {
		checkPlace(p, o.Location)
	}
	checkCodes(p, "languages", o.Languages, langRE, "use language codes such as fr or nl-BE")
	if o.FoundingYear != 0 && (o.FoundingYear < 1700 || o.FoundingYear > 2100) {
		p.add("founding_year", "give a year such as 1995")
	}
	checkList(p, "networks", o.Networks, MaxName)
	if o.ContactEmail != "" && (!emailRE.MatchString(o.ContactEmail) || len(o.ContactEmail) > 254) {
		p.add("contact_email", "give an e-mail address such as contact@coop.example")
	}
	return p.err()
}

func checkURL(p problems, field, v string) {
	if v != "" && !isHTTPURL(v) {
		p.add(field, "use an http or https address")
	}
}

func checkCodes(p problems, field string, codes []string, re *regexp.Regexp, msg string) {
	if len(codes) > MaxListItems {
		p.add(field, "at most %d", MaxListItems)
	}
	for _, c := range codes {
		if !re.MatchString(c) {
			p.add(field, "%s", msg)
		}
	}
}

func checkList(p problems, field string, items []string, max int) {
	if len(items) > MaxListItems {
		p.add(field, "at most %d", MaxListItems)
	}
	for _, it := range items {
		checkText(p, field, it, max, true)
	}
}

// Validate checks a project or call as entered locally or received from a
// remote maillage instance.
func (o *Object) Validate() error {
	p := problems{}
	note := o.Kind == KindNote && !o.Local
	if !o.Kind.Valid() && !note {
		p.add("kind", "must be project or call")
	}
	checkText(p, "title", o.Title, MaxTitle, !note)
	checkText(p, "summary", o.Summary, MaxSummary, false)
	if utf8.RuneCountInString(o.Text) > MaxText {
		p.add("text", "at most %d characters", MaxText)
	}
	if len(o.Content) > 4*MaxText {
		p.add("content", "too long")
	}
	checkSectors(p, o.Sectors, !note)
	switch o.Audience {
	case "", AudiencePublic, AudienceUnlisted, AudienceFollowers, AudienceDirect:
	default:
		p.add("audience", "must be public, unlisted, followers or direct")
	}
	if len(o.Addressed) > MaxAddressed {
		p.add("addressed", "at most %d", MaxAddressed)
	}
	if o.Location != nil {
		checkPlace(p, o.Location)
	}
	if o.StartTime != nil && o.EndTime != nil && o.EndTime.Before(*o.StartTime) {
		p.add("end_time", "must not be before the start")
	}
	if o.Lang != "" && !langRE.MatchString(o.Lang) {
		p.add("lang", "use a language code such as fr")
	}
	if len(o.Translations) > MaxListItems {
		p.add("translations", "at most %d", MaxListItems)
	}
	for lang, tr := range o.Translations {
		if !langRE.MatchString(lang) {
			p.add("translations", "use language codes such as fr")
		}
		checkText(p, "translations", tr.Title, MaxTitle, false)
		checkText(p, "translations", tr.Summary, MaxSummary, false)
		checkText(p, "translations", tr.Text, MaxText, false)
	}
	switch o.Kind {
	case KindProject:
		if o.Status != "" && !contains(ProjectStatuses, o.Status) {
			p.add("status", "must be one of %s", strings.Join(ProjectStatuses, ", "))
		}
		if o.Deadline != nil || len(o.PartnerRoles) > 0 || len(o.EligibleCountries) > 0 || o.RelatedProject != "" ||
			o.FundingProgramme != "" || o.FundingCallID != "" || o.HowToRespond != "" {
			p.add("kind", "only calls have a deadline, partner roles, eligible countries, a related project, a funding programme and a way to respond")
		}
		if len(o.Partners) > MaxListItems {
			p.add("partners", "at most %d", MaxListItems)
		}
		for _, pa := range o.Partners {
			checkText(p, "partners", pa.Name, MaxName, true)
			checkURL(p, "partners", pa.URL)
		}
		if f := o.FundingSought; f != nil && (f.Amount < 0 || f.Amount > 1e12 || !currencyRE.MatchString(f.Currency)) {
			p.add("funding_sought", "give a positive amount and a currency such as EUR")
		}
	case KindCall:
		if o.Status != "" && !contains(CallStatuses, o.Status) {
			p.add("status", "must be one of %s", strings.Join(CallStatuses, ", "))
		}
		for _, r := range o.PartnerRoles {
			if !contains(PartnerRoles, r) {
				p.add("partner_roles", "unknown role %q", r)
			}
		}
		if len(o.PartnerRoles) > len(PartnerRoles) {
			p.add("partner_roles", "too many roles")
		}
		if len(o.Partners) > 0 || o.FundingSought != nil {
			p.add("kind", "only projects have partners and funding sought")
		}
		checkCodes(p, "eligible_countries", o.EligibleCountries, countryRE, "use two-letter ISO 3166 codes such as FR")
		if o.RelatedProject != "" && !isHTTPURL(o.RelatedProject) {
			p.add("related_project", "give the project's address")
		}
		checkText(p, "funding_programme", o.FundingProgramme, MaxName, false)
		checkText(p, "funding_call_id", o.FundingCallID, MaxName, false)
		checkText(p, "how_to_respond", o.HowToRespond, MaxLongText, false)
	}
	return p.err()
}

// Expired reports whether a call's deadline has passed at now.
func (o Object) Expired(now time.Time) bool {
	return o.Kind == KindCall && o.CallState().pastDeadline(now)
}

func checkText(p problems, field, v string, max int, required bool) {
	n := utf8.RuneCountInString(strings.TrimSpace(v))
	switch {
	case required && n == 0:
		p.add(field, "is required")
	case n > max:
		p.add(field, "at most %d characters", max)
	case !utf8.ValidString(v):
		p.add(field, "is not valid UTF-8")
	}
}

func checkSectors(p problems, sectors []string, required bool) {
	if required && len(sectors) == 0 {
		p.add("sectors", "choose 1 to 3 sectors")
		return
	}
	if len(sectors) > 3 {
		p.add("sectors", "choose 1 to 3 sectors")
	}
	for _, s := range sectors {
		if !IsSector(s) {
			p.add("sectors", "unknown sector %q", s)
		}
	}
}

func checkPlace(p problems, pl *Place) {
	checkText(p, "location", pl.Name, MaxName, false)
	if pl.Country != "" && !countryRE.MatchString(pl.Country) {
		p.add("location", "country must be a two-letter ISO 3166 code")
	}
	if (pl.Latitude == nil) != (pl.Longitude == nil) {
		p.add("location", "give both latitude and longitude, or neither")
	}
	if pl.Latitude != nil && (*pl.Latitude < -90 || *pl.Latitude > 90 || *pl.Latitude != *pl.Latitude) {
		p.add("location", "latitude must be between -90 and 90")
	}
	if pl.Longitude != nil && (*pl.Longitude < -180 || *pl.Longitude > 180 || *pl.Longitude != *pl.Longitude) {
		p.add("location", "longitude must be between -180 and 180")
	}
}

func isHTTPURL(s string) bool {
	return (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && len(s) < 2000 && !strings.ContainsAny(s, " \"<>")
}
