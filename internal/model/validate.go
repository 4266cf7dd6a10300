package model

import (
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/errs"
)

// FieldError is the problem of one field, as a code: an i18n key (the
// texts are in internal/i18n/locales/validation.*.json) and the arguments
// of its text. The web layer translates it into the reader's language, the
// JSON API into English.
type FieldError struct {
	Key  string
	Args []any
}

// Problem returns the FieldError of key with args.
func Problem(key string, args ...any) FieldError { return FieldError{Key: key, Args: args} }

// FieldErrors are the problems of an input, by field id: the JSON names of
// the input, which are also the ids of the form inputs.
type FieldErrors map[string]FieldError

// ValidationError lists the problems of an input, field by field.
type ValidationError struct {
	Fields FieldErrors
}

// Invalid returns a ValidationError with one problem.
func Invalid(field, key string, args ...any) *ValidationError {
	return &ValidationError{Fields: FieldErrors{field: Problem(key, args...)}}
}

// ErrKind classifies every validation error as errs.Invalid.
func (e *ValidationError) ErrKind() errs.Kind { return errs.Invalid }

// Error lists the fields and their codes, for logs.
func (e *ValidationError) Error() string {
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k].String()
	}
	return "invalid input: " + strings.Join(parts, "; ")
}

// String is the key followed by its arguments, for logs and tests.
func (f FieldError) String() string {
	if len(f.Args) == 0 {
		return f.Key
	}
	return fmt.Sprintf("%s %v", f.Key, f.Args)
}

// problems collects field errors, the first of each field; err returns nil
// when there are none.
type problems FieldErrors

func (p problems) add(field, key string, args ...any) {
	if _, ok := p[field]; !ok {
		p[field] = Problem(key, args...)
	}
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return &ValidationError{Fields: FieldErrors(p)}
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
		p.add("name", "validation.name.reserved", name)
	case len(name) == 0 || len(name) > 30 || !usernameRE.MatchString(name):
		p.add("name", "validation.name.syntax")
	}
	return p.err()
}

// Validate checks an organisation profile.
func (o *Org) Validate() error {
	p := problems{}
	if !o.Instance {
		if err := ValidName(o.Name); err != nil {
			p["name"] = err.(*ValidationError).Fields["name"]
		}
	}
	checkText(p, "display_name", o.DisplayName, MaxName, true)
	checkText(p, "summary", o.Summary, MaxSummary, false)
	if o.Country != "" && !countryRE.MatchString(o.Country) {
		p.add("country", "validation.country")
	}
	checkText(p, "legal_name", o.LegalName, MaxName, false)
	checkText(p, "region", o.Region, MaxName, false)
	checkSectors(p, o.Sectors, false)
	checkURL(p, "website", o.Website)
	checkURL(p, "contact_url", o.ContactURL)
	checkURL(p, "icon_url", o.IconURL)
	checkImage(p, "logo", o.Logo, false)
	checkImage(p, "banner", o.Banner, false)
	if o.LegalForm != "" && !IsLegalForm(o.LegalForm) {
		p.add("legal_form", "validation.legal_form")
	}
	checkText(p, "legal_form_text", o.LegalFormText, MaxName, false)
	if o.Status != "" && !contains(OrgStatuses, o.Status) {
		p.add("status", "validation.one_of", strings.Join(OrgStatuses, ", "))
	}
	if o.Location != nil {
		checkPlace(p, o.Location)
	}
	checkCodes(p, "languages", o.Languages, langRE, "validation.languages")
	if o.FoundingYear != 0 && (o.FoundingYear < 1700 || o.FoundingYear > 2100) {
		p.add("founding_year", "validation.year")
	}
	checkList(p, "networks", o.Networks, MaxName)
	if o.ContactEmail != "" && (!emailRE.MatchString(o.ContactEmail) || len(o.ContactEmail) > 254) {
		p.add("contact_email", "validation.contact_email")
	}
	return p.err()
}

func checkURL(p problems, field, v string) {
	if v != "" && !isHTTPURL(v) {
		p.add(field, "validation.url")
	}
}

func checkCodes(p problems, field string, codes []string, re *regexp.Regexp, key string) {
	if len(codes) > MaxListItems {
		p.add(field, "validation.max_items", MaxListItems)
	}
	for _, c := range codes {
		if !re.MatchString(c) {
			p.add(field, key)
		}
	}
}

func checkList(p problems, field string, items []string, max int) {
	if len(items) > MaxListItems {
		p.add(field, "validation.max_items", MaxListItems)
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
		p.add("kind", "validation.kind")
	}
	checkText(p, "title", o.Title, MaxTitle, !note)
	checkText(p, "summary", o.Summary, MaxSummary, false)
	if utf8.RuneCountInString(o.Text) > MaxText {
		p.add("text", "validation.max_chars", MaxText)
	}
	if len(o.Content) > 4*MaxText {
		p.add("content", "validation.too_long")
	}
	checkSectors(p, o.Sectors, !note)
	checkImage(p, "image", o.Image, true)
	if o.Local && o.Image != nil && !o.Image.IsLocal() {
		p.add("image", "validation.image") // a local object shows only images stored here
	}
	switch o.Audience {
	case "", AudiencePublic, AudienceUnlisted, AudienceFollowers, AudienceDirect:
	default:
		p.add("audience", "validation.audience")
	}
	if len(o.Addressed) > MaxAddressed {
		p.add("addressed", "validation.max_items", MaxAddressed)
	}
	if o.Location != nil {
		checkPlace(p, o.Location)
	}
	if o.StartTime != nil && o.EndTime != nil && o.EndTime.Before(*o.StartTime) {
		p.add("end_time", "validation.end_before_start")
	}
	if o.Lang != "" && !langRE.MatchString(o.Lang) {
		p.add("lang", "validation.lang")
	}
	if len(o.Translations) > MaxListItems {
		p.add("translations", "validation.max_items", MaxListItems)
	}
	for lang, tr := range o.Translations {
		if !langRE.MatchString(lang) {
			p.add("translations", "validation.langs")
		}
		checkText(p, "translations", tr.Title, MaxTitle, false)
		checkText(p, "translations", tr.Summary, MaxSummary, false)
		checkText(p, "translations", tr.Text, MaxText, false)
	}
	switch o.Kind {
	case KindProject:
		if o.Status != "" && !contains(ProjectStatuses, o.Status) {
			p.add("status", "validation.one_of", strings.Join(ProjectStatuses, ", "))
		}
		if o.Deadline != nil || len(o.PartnerRoles) > 0 || len(o.EligibleCountries) > 0 || o.RelatedProject != "" ||
			o.FundingProgramme != "" || o.FundingCallID != "" || o.HowToRespond != "" {
			p.add("kind", "validation.kind.call_only")
		}
		if len(o.Partners) > MaxListItems {
			p.add("partners", "validation.max_items", MaxListItems)
		}
		for _, pa := range o.Partners {
			checkText(p, "partners", pa.Name, MaxName, true)
			checkURL(p, "partners", pa.URL)
		}
		if f := o.FundingSought; f != nil && (f.Amount < 0 || f.Amount > 1e12 || !currencyRE.MatchString(f.Currency)) {
			p.add("funding_sought", "validation.funding")
		}
	case KindCall:
		if o.Status != "" && !contains(CallStatuses, o.Status) {
			p.add("status", "validation.one_of", strings.Join(CallStatuses, ", "))
		}
		for _, r := range o.PartnerRoles {
			if !contains(PartnerRoles, r) {
				p.add("partner_roles", "validation.role.unknown", r)
			}
		}
		if len(o.PartnerRoles) > len(PartnerRoles) {
			p.add("partner_roles", "validation.roles.too_many")
		}
		if len(o.Partners) > 0 || o.FundingSought != nil {
			p.add("kind", "validation.kind.project_only")
		}
		checkCodes(p, "eligible_countries", o.EligibleCountries, countryRE, "validation.countries")
		if o.RelatedProject != "" && !isHTTPURL(o.RelatedProject) {
			p.add("related_project", "validation.related_project")
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
		p.add(field, "validation.required")
	case n > max:
		p.add(field, "validation.max_chars", max)
	case !utf8.ValidString(v):
		p.add(field, "validation.utf8")
	}
}

func checkSectors(p problems, sectors []string, required bool) {
	if required && len(sectors) == 0 {
		p.add("sectors", "validation.sectors")
		return
	}
	if len(sectors) > 3 {
		p.add("sectors", "validation.sectors")
	}
	for _, s := range sectors {
		if !IsSector(s) {
			p.add("sectors", "validation.sector.unknown", s)
		}
	}
}

func checkPlace(p problems, pl *Place) {
	checkText(p, "location", pl.Name, MaxName, false)
	if pl.Country != "" && !countryRE.MatchString(pl.Country) {
		p.add("location", "validation.place.country")
	}
	if (pl.Latitude == nil) != (pl.Longitude == nil) {
		p.add("location", "validation.place.both")
	}
	if pl.Latitude != nil && (*pl.Latitude < -90 || *pl.Latitude > 90 || *pl.Latitude != *pl.Latitude) {
		p.add("location", "validation.place.latitude")
	}
	if pl.Longitude != nil && (*pl.Longitude < -180 || *pl.Longitude > 180 || *pl.Longitude != *pl.Longitude) {
		p.add("location", "validation.place.longitude")
	}
}

func isHTTPURL(s string) bool {
	return (strings.HasPrefix(s, "https://") || strings.HasPrefix(s, "http://")) && len(s) < 2000 && !strings.ContainsAny(s, " \"<>")
}

// Clear sets the field of p whose id is field (its JSON name, the id that
// ValidationError.Fields uses) to its zero value, and reports whether p has
// such a field. A profile received from a remote drops each invalid field
// this way rather than the whole profile.
func (p *Profile) Clear(field string) bool {
	v := reflect.ValueOf(p).Elem()
	for i := range v.NumField() {
		if name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ","); name == field {
			v.Field(i).SetZero()
			return true
		}
	}
	return false
}
