package directory

import (
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// Kind of a directory entry.
type Kind string

const (
	KindOrg     Kind = "org"
	KindProject Kind = "project"
	KindCall    Kind = "call"
)

// Entry is one organisation, project or call as the directory shows it.
type Entry struct {
	ID      string `json:"id"`  // IRI
	URL     string `json:"url"` // HTML page
	Kind    Kind   `json:"kind"`
	Title   string `json:"title"` // display name for organisations
	Summary string `json:"summary,omitempty"`
	// Org is the IRI of the organisation (itself for an organisation) and
	// OrgName its display name.
	Org     string `json:"org"`
	OrgName string `json:"org_name"`
	Source  string `json:"source"` // host[:port] of the instance it comes from
	Local   bool   `json:"local"`

	Sectors   []string `json:"sectors,omitempty"`
	Country   string   `json:"country,omitempty"`
	PlaceName string   `json:"place,omitempty"`
	Lat       *float64 `json:"lat,omitempty"`
	Lon       *float64 `json:"lon,omitempty"`

	// Status is as published (organisations: OrgStatuses; projects:
	// ProjectStatuses; calls: CallStatuses), except that Query returns
	// "expired" for an open call whose deadline has passed.
	Status       string     `json:"status,omitempty"`
	Deadline     *time.Time `json:"deadline,omitempty"` // calls
	PartnerRoles []string   `json:"partner_roles,omitempty"`
	LegalForm    string     `json:"legal_form,omitempty"` // organisations
	Website      string     `json:"website,omitempty"`    // organisations; never an e-mail address
	Published    time.Time  `json:"published"`
	// Provenance is set on an organisation its instance lists from an
	// imported map, not self-published (mai:provenance).
	Provenance *model.Provenance `json:"provenance,omitempty"`
	// Verified is this instance's own check of the organisation's website
	// (service.VerifiedWebsites), set on a page of results by the web
	// layer; the index never holds it, and no server's flag sets it.
	Verified bool `json:"verified,omitempty"`

	// Image is a local image's path or a remote one's URL (image.go), a
	// logo for organisations; kept out of exports, which list no remote URL.
	Image    string `json:"-"`
	ImageAlt string `json:"-"`

	// Filled by Query: distance from the query's point, in km.
	DistanceKm *float64 `json:"distance_km,omitempty"`
}

// Sort orders.
const (
	SortRecent   = "recent"   // newest first (default)
	SortDeadline = "deadline" // soonest deadline first; entries without one last
	SortDistance = "distance" // nearest first; needs Near
	SortTitle    = "title"
)

// Query selects and orders entries. Zero values mean "any".
type Query struct {
	// Text is words that must all appear, ignoring case and accents, in
	// the title, summary, organisation name or place, or in a label of
	// one of the entry's sectors ("énergie" finds the energy sector).
	Text     string
	Kinds    []Kind   // org, project, call
	Sectors  []string // any of these sectors
	Country  string   // ISO code
	Role     string   // partner role sought (calls)
	OpenOnly bool     // calls still open (status open and deadline not passed)
	// SelfPublished leaves out the organisations listed from an imported
	// map (Entry.Provenance).
	SelfPublished bool
	Source        string  // instance host
	Near          *Point  // with RadiusKm: within that distance
	RadiusKm      float64 // 0: no limit; entries without a position then stay, last by distance
	Within        *BBox   // only entries with a position inside this box (the map's zoom)
	Sort          string
	Page          int // 1-based
	PerPage       int // default 20, at most 100
}

// Point is a position in degrees.
type Point struct {
	Lat, Lon float64
}

// BBox is a box in degrees, as in GeoJSON (RFC 7946 §5): west, south,
// east, north, edges included. It does not cross the antimeridian.
type BBox struct {
	West, South, East, North float64
}

// Result is one page of matching entries.
type Result struct {
	Entries []Entry `json:"entries"`
	Total   int     `json:"total"`
	Page    int     `json:"page"`
	PerPage int     `json:"per_page"`
}
