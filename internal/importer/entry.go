package importer

import "time"

// Entry is one organisation (or, from maillage's own exports, a project or
// call) as read from a file, after validation and the removal of personal
// data.
type Entry struct {
	// SourceID is the source's own identifier: GoGoCarto's id, a GeoJSON
	// feature id, a CSV id column, or for maillage's exports the object's
	// IRI (GeoJSON) or page URL (CSV). A re-import matches on it.
	SourceID string
	// Kind is "org" unless the file says otherwise (maillage exports carry
	// "project" and "call" too).
	Kind            string
	Name            string
	Description     string
	DescriptionMore string // GoGoCarto descriptionMore
	Commitment      string // GoGoCarto commitment
	Place           Place
	Website         string
	// Email is a public contact, only ever a role address on the
	// website's domain (see PublicEmail).
	Email string
	// URL is the entry's page at its source, when the file gives one.
	URL string
	// Sectors are maillage sector slugs, from the crosswalk (at most 3).
	Sectors []string
	// Categories are the source's categories as found, paths joined with
	// " > " for a GoGoCarto taxonomy ("Habitat > Ressourcerie").
	Categories []string

	// Carried by maillage's own exports.
	Status       string
	Deadline     *time.Time
	PartnerRoles []string
	Org          string // IRI of the organisation of a project or call
	OrgName      string

	Provenance Provenance
	// Notes are non-fatal remarks for the report ("4 sectors found, kept 3").
	Notes []string
}

// Place is where an entry is. Lat and Lon are both set or both nil.
type Place struct {
	Name       string // free place label (maillage's "place")
	Street     string
	PostalCode string
	Locality   string
	Country    string // ISO 3166-1 alpha-2, upper case
	Lat, Lon   *float64
}

// Provenance says where an entry comes from.
type Provenance struct {
	Source    string // name of the source map, e.g. "Transiscope"
	SourceURL string // URL or file name it was read from
	SourceID  string // the source's own id (same as Entry.SourceID)
	SourceKey string // GoGoCarto sourceKey: the database it aggregated the entry from
	Origin    string // maillage exports: host of the instance that published it
	Licence   string // SPDX identifier or URL, e.g. ODbL-1.0
	// Via is the source of the import that carried the entry, when that
	// is another maillage instance's export of an organisation it lists
	// from the map Source: the map stays the source, and a re-import of
	// the export updates or withdraws the entry (NewPlan).
	Via      string
	Imported time.Time
}

// Ref locates an entry in its file: Index is 1-based among the entries
// (JSON array element, GeoJSON feature, CSV data row) and Line is the
// 1-based line in a CSV file (0 for JSON).
type Ref struct {
	Index int
	Line  int
}

// Refusal is an entry that will not be imported, and why.
type Refusal struct {
	Ref      Ref
	SourceID string
	Name     string
	Reasons  []string
	key      string // matchKey when not the batch's source and SourceID
}

// Batch is a parsed file.
type Batch struct {
	Source    string
	SourceURL string
	Licence   string // from Options, else the file's own ("licence" of a GoGoCarto export)
	Imported  time.Time
	Entries   []Entry
	Refs      []Ref // Refs[i] locates Entries[i]
	Refused   []Refusal
	// Unmapped lists the categories no crosswalk rule maps to a sector,
	// with how many entries carry them; never guessed.
	Unmapped []CategoryCount
	Dropped  Dropped
	// IgnoredFields are CSV columns or GeoJSON properties not read.
	IgnoredFields []string
}

// CategoryCount is a category label and how many entries carry it.
type CategoryCount struct {
	Category string
	Entries  int
}

// Dropped counts the personal data left out.
type Dropped struct {
	Emails       int // personal or not on the website's domain
	Hidden       int // "hidden"/"private" placeholders
	Phones       int // telephone fields, all dropped
	TextReplaced int // entries whose text had an address or number replaced
}
