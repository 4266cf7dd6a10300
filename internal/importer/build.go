package importer

import (
	"fmt"
	"math"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Text bounds per entry: beyond them an entry is refused, not truncated.
const (
	maxNameRunes = 200
	maxTextRunes = 10_000
	maxListItems = 50
)

// raw is an entry as a parser found it, before validation.
type raw struct {
	ref                          Ref
	id, kind, name               string
	desc, descMore, commitment   string
	placeName, street, postal    string
	locality, country            string
	lat, lon                     string // as written; "" when absent
	website, email, url          string
	phones                       int
	hidden                       int // placeholders met ("hidden" e-mail...)
	paths                        [][]string
	status, deadline             string
	roles                        []string
	org, orgName, origin, srcKey string
	licence                      string // the entry's own, else the file's
	// maillage's exports: the map another instance lists the entry from.
	listedBy, listedByURL, listedByID string
	decodeErr                         string // the entry could not be read at all
}

// builder validates raw entries into a Batch.
type builder struct {
	opts     Options
	batch    *Batch
	unmapped map[string]int
	seen     map[string]int // source id → index of first entry
}

func newBuilder(opts Options) *builder {
	return &builder{
		opts: opts,
		batch: &Batch{
			Source: opts.Source, SourceURL: opts.SourceURL, Licence: opts.Licence, Imported: opts.Now,
		},
		unmapped: map[string]int{},
		seen:     map[string]int{},
	}
}

// listedFrom reads, for an organisation a maillage export says its
// instance lists from a map, the provenance that instance recorded: the
// map, the entry's id and page there. ok is false for any other entry.
func listedFrom(r raw) (source, id, page string, ok bool) {
	source = clip(clean(r.listedBy), maxSourceRunes)
	return source, clip(clean(r.listedByID), 200), clip(clean(r.listedByURL), 2000), source != ""
}

// listed makes pv, for an organisation a maillage export lists from a
// map, the provenance its instance recorded, reached through this
// import's source (Via). The chain stays whole: the map is still named as
// the source here and on every instance that follows this one, its entry
// is one organisation here whichever way it came (NewPlan matches on the
// map and its id), and this instance's exports carry the same listed_by
// columns as the one imported.
func (b *builder) listed(pv *Provenance, r raw) {
	source, id, page, ok := listedFrom(r)
	if !ok {
		return
	}
	pv.Source, pv.Via, pv.SourceURL = source, b.opts.Source, page
	if id != "" {
		pv.SourceID = id
	}
}

// matchKey is what a re-import matches an entry on: its source and the
// source's own id.
func matchKey(source, id string) string { return source + "\x00" + id }

// listedKey is matchKey for an entry of a maillage export listed from a
// map, "" for any other.
func listedKey(r raw) string {
	source, id, _, ok := listedFrom(r)
	if !ok {
		return ""
	}
	if id == "" {
		id = clean(r.id)
	}
	return matchKey(source, id)
}

func (b *builder) refuse(r raw, reasons ...string) {
	b.batch.Refused = append(b.batch.Refused, Refusal{key: listedKey(r),
		Ref: r.ref, SourceID: clean(r.id), Name: clip(clean(r.name), maxNameRunes), Reasons: reasons,
	})
}

// add validates r and records it as an entry or a refusal.
func (b *builder) add(r raw) {
	if r.decodeErr != "" {
		b.refuse(r, r.decodeErr)
		return
	}
	var reasons []string
	bad := func(format string, args ...any) { reasons = append(reasons, fmt.Sprintf(format, args...)) }
	e := Entry{
		SourceID: clean(r.id), Kind: clean(r.kind), Name: clean(r.name),
		Status: clean(r.status), Org: clean(r.org), OrgName: clean(r.orgName), URL: clean(r.url),
	}
	if e.Kind == "" {
		e.Kind = "org"
	}
	switch e.Kind {
	case "org", "project", "call":
	default:
		bad("unknown kind %q", clip(e.Kind, 40))
	}
	if e.SourceID == "" {
		bad("no id: a re-import could not find the entry again")
	} else if first, dup := b.seen[e.SourceID]; dup {
		bad("id %q already used by entry %d", clip(e.SourceID, 80), first)
	} else {
		b.seen[e.SourceID] = r.ref.Index
	}
	switch n := utf8.RuneCountInString(e.Name); {
	case n == 0:
		bad("name missing")
	case n > maxNameRunes:
		bad("name longer than %d characters", maxNameRunes)
	}
	scrubbed := false
	text := func(field, v string) string {
		v = clean(v)
		if placeholder(v) {
			return ""
		}
		if utf8.RuneCountInString(v) > maxTextRunes {
			bad("%s longer than %d characters", field, maxTextRunes)
			return ""
		}
		v, s := scrubText(v)
		scrubbed = scrubbed || s
		return v
	}
	e.Description = text("description", r.desc)
	e.DescriptionMore = text("descriptionMore", r.descMore)
	e.Commitment = text("commitment", r.commitment)
	e.Place = Place{
		Name: text("place", r.placeName), Street: text("street", r.street),
		PostalCode: text("postal code", r.postal), Locality: text("locality", r.locality),
	}
	b.country(&e, r.country, bad)
	b.position(&e, r.lat, r.lon, bad)
	if w := clean(r.website); w != "" && !placeholder(w) {
		e.Website = normalWebsite(w)
		if e.Website == "" {
			bad("website %q is not an http or https address", clip(w, 80))
		}
	}
	if u := e.URL; u != "" && !isHTTPURL(u) {
		bad("url %q is not an http or https address", clip(u, 80))
	}
	if m := clean(r.email); m != "" {
		if placeholder(m) {
			b.batch.Dropped.Hidden++
		} else if e.Email = PublicEmail(m, e.Website); e.Email == "" {
			b.batch.Dropped.Emails++
		}
	}
	b.batch.Dropped.Hidden += r.hidden
	b.batch.Dropped.Phones += r.phones
	if r.deadline = clean(r.deadline); r.deadline != "" {
		if t, err := parseTime(r.deadline); err != nil {
			bad("deadline %q is not a date", clip(r.deadline, 40))
		} else {
			e.Deadline = &t
		}
	}
	if len(r.roles) > maxListItems || len(r.paths) > maxListItems {
		bad("more than %d categories or roles", maxListItems)
	}
	for _, role := range r.roles {
		if role = clean(role); role != "" {
			e.PartnerRoles = append(e.PartnerRoles, role)
		}
	}
	b.categories(&e, r.paths)
	if len(reasons) > 0 {
		b.refuse(r, reasons...)
		return
	}
	if scrubbed {
		b.batch.Dropped.TextReplaced++
	}
	e.Provenance = Provenance{
		Source: b.opts.Source, SourceURL: b.opts.SourceURL, SourceID: e.SourceID, SourceKey: clean(r.srcKey),
		Origin: clean(r.origin), Licence: b.batch.Licence, Imported: b.opts.Now,
	}
	if l := clean(r.licence); l != "" {
		e.Provenance.Licence = clip(l, 200)
	}
	b.listed(&e.Provenance, r)
	b.batch.Entries = append(b.batch.Entries, e)
	b.batch.Refs = append(b.batch.Refs, r.ref)
}

func (b *builder) country(e *Entry, v string, bad func(string, ...any)) {
	v = clean(v)
	switch {
	case v != "":
		if e.Place.Country = normalCountry(v); e.Place.Country == "" {
			bad("country %q is not an ISO 3166 code", clip(v, 40))
		}
	case b.opts.DefaultCountry != "":
		e.Place.Country = b.opts.DefaultCountry
	default:
		bad("country missing")
	}
}

// position validates coordinates: both or neither, numbers in range, not
// 0,0 (what a failed geocoder writes), inside the country when its outline
// is known, and not swapped.
func (b *builder) position(e *Entry, latS, lonS string, bad func(string, ...any)) {
	latS, lonS = clean(latS), clean(lonS)
	if latS == "" && lonS == "" {
		return
	}
	if latS == "" || lonS == "" {
		bad("latitude and longitude must be given together")
		return
	}
	lat, err1 := parseCoord(latS)
	lon, err2 := parseCoord(lonS)
	if err1 != nil || err2 != nil {
		bad("coordinates %q, %q are not numbers", clip(latS, 30), clip(lonS, 30))
		return
	}
	switch {
	case math.Abs(lat) > 90 && math.Abs(lon) <= 90:
		bad("latitude %g out of range: latitude and longitude look swapped", lat)
		return
	case math.Abs(lat) > 90 || math.Abs(lon) > 180:
		bad("coordinates %g, %g out of range", lat, lon)
		return
	case lat == 0 && lon == 0:
		bad("position 0,0 is a missing position, not a place")
		return
	}
	if c := e.Place.Country; c != "" {
		if in, known := inCountry(c, lat, lon); known && !in {
			if swapped, _ := inCountry(c, lon, lat); swapped {
				bad("latitude %g and longitude %g look swapped for %s", lat, lon, c)
			} else {
				bad("position %g, %g is outside %s", lat, lon, c)
			}
			return
		}
	}
	e.Place.Lat, e.Place.Lon = &lat, &lon
}

// categories records the category paths as found and maps them to sectors.
func (b *builder) categories(e *Entry, paths [][]string) {
	var kept [][]string
	for _, p := range paths {
		var q []string
		for _, l := range p {
			if l = clip(clean(l), maxNameRunes); l != "" {
				q = append(q, l)
			}
		}
		if len(q) == 0 {
			continue
		}
		label := strings.Join(q, " > ")
		if !slices.Contains(e.Categories, label) {
			e.Categories = append(e.Categories, label)
			kept = append(kept, q)
		}
	}
	slugs, unmapped, note := b.opts.Crosswalk.sectorsFor(kept)
	e.Sectors = slugs
	if note != "" {
		e.Notes = append(e.Notes, note)
	}
	for _, u := range unmapped {
		b.unmapped[u]++
	}
}

// finish returns the batch with its unmapped categories, most frequent
// first.
func (b *builder) finish() *Batch {
	for c, n := range b.unmapped {
		b.batch.Unmapped = append(b.batch.Unmapped, CategoryCount{Category: c, Entries: n})
	}
	slices.SortFunc(b.batch.Unmapped, func(x, y CategoryCount) int {
		if x.Entries != y.Entries {
			return y.Entries - x.Entries
		}
		return strings.Compare(x.Category, y.Category)
	})
	return b.batch
}

// clean makes s valid UTF-8 without surrounding space.
func clean(s string) string { return strings.TrimSpace(strings.ToValidUTF8(s, "\uFFFD")) }

// clip shortens s to n runes for messages.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}

// parseCoord reads a coordinate, accepting a decimal comma ("46,32"), as
// French spreadsheets write them.
func parseCoord(s string) (float64, error) {
	if strings.Count(s, ",") == 1 && !strings.Contains(s, ".") {
		s = strings.Replace(s, ",", ".", 1)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return 0, fmt.Errorf("not a number")
	}
	return f, nil
}

// parseTime reads an RFC 3339 time or a plain date (midnight UTC).
func parseTime(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), nil
	}
	return time.Parse(time.DateOnly, s)
}

// isHTTPURL reports whether s is an absolute http(s) URL with a host, as
// the pages of a maillage instance are (loopback ones included).
func isHTTPURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != "" &&
		!strings.ContainsAny(s, " \t\r\n")
}
