package model

import "time"

// Kind distinguishes the two things an organisation publishes.
type Kind string

const (
	KindProject Kind = "project"
	KindCall    Kind = "call"
	// KindNote is a plain post received from a followed fediverse account
	// that is not a maillage instance; it is never published locally.
	KindNote Kind = "note"
)

// Valid reports whether k is a kind an organisation can publish.
func (k Kind) Valid() bool { return k == KindProject || k == KindCall }

// Place is where a project happens or a call is anchored.
type Place struct {
	Name      string   `json:"name,omitempty"`
	Country   string   `json:"country,omitempty"` // ISO 3166-1 alpha-2, upper case
	Latitude  *float64 `json:"latitude,omitempty"`
	Longitude *float64 `json:"longitude,omitempty"`
}

// Object is a project or a call for partnership, local or received from a
// remote instance. Its ID is its ActivityPub IRI and never changes.
type Object struct {
	ID           string     `json:"id"`
	Kind         Kind       `json:"kind"`
	AttributedTo string     `json:"attributed_to"` // actor IRI
	Local        bool       `json:"local"`
	Title        string     `json:"title"`
	Summary      string     `json:"summary,omitempty"` // short plain-text pitch
	Text         string     `json:"text,omitempty"`    // local source text (plain paragraphs)
	Content      string     `json:"content,omitempty"` // HTML as published (remote: sanitised)
	URL          string     `json:"url,omitempty"`     // HTML page
	Sectors      []string   `json:"sectors,omitempty"` // taxonomy slugs
	Location     *Place     `json:"location,omitempty"`
	Status       string     `json:"status,omitempty"`
	StartTime    *time.Time `json:"start_time,omitempty"`
	EndTime      *time.Time `json:"end_time,omitempty"`
	Deadline     *time.Time `json:"deadline,omitempty"`      // calls: response deadline
	PartnerRoles []string   `json:"partner_roles,omitempty"` // calls: roles sought

	// Lang is the language of Title, Summary and Text (BCP 47);
	// Translations holds the same fields in other languages.
	Lang         string                 `json:"lang,omitempty"`
	Translations map[string]Translation `json:"translations,omitempty"`

	Partners      []Partner `json:"partners,omitempty"`       // projects
	FundingSought *Money    `json:"funding_sought,omitempty"` // projects

	EligibleCountries []string `json:"eligible_countries,omitempty"` // calls: ISO codes
	RelatedProject    string   `json:"related_project,omitempty"`    // calls: project IRI
	FundingProgramme  string   `json:"funding_programme,omitempty"`  // calls: e.g. Horizon Europe
	FundingCallID     string   `json:"funding_call_id,omitempty"`    // calls: EU topic id
	HowToRespond      string   `json:"how_to_respond,omitempty"`     // calls: plain text

	Image *Image `json:"image,omitempty"` // image.go

	// Audience is whom a received object is addressed to ("" for local
	// objects and for remote ones stored before it was recorded: see
	// EffectiveAudience); Addressed lists the local actors a direct object
	// names in to/cc, at most MaxAddressed.
	Audience  Audience `json:"audience,omitempty"`
	Addressed []string `json:"addressed,omitempty"`

	Published time.Time `json:"published"`
	Updated   time.Time `json:"updated,omitzero"`
	Deleted   time.Time `json:"deleted,omitzero"` // non-zero: tombstone, served as 410
}

// Translation is an object's text in another language.
type Translation struct {
	Title   string `json:"title,omitempty"`
	Summary string `json:"summary,omitempty"`
	Text    string `json:"text,omitempty"`
}

// Partner is an organisation taking part in a project.
type Partner struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"` // its website or actor IRI
}

// Money is an amount in a currency (ISO 4217).
type Money struct {
	Amount   int64  `json:"amount"` // whole units
	Currency string `json:"currency"`
}

// IsDeleted reports whether o is a tombstone.
func (o Object) IsDeleted() bool { return !o.Deleted.IsZero() }

// Reply is a Note from anyone on the fediverse answering one of our objects.
type Reply struct {
	ID        string    `json:"id"`
	InReplyTo string    `json:"in_reply_to"`
	Actor     string    `json:"actor"`
	Content   string    `json:"content"` // sanitised HTML
	URL       string    `json:"url,omitempty"`
	Published time.Time `json:"published"`
	Updated   time.Time `json:"updated,omitzero"`
	Received  time.Time `json:"received"`
	// Local replies (sent by one of our organisations) also keep the text
	// as entered and whom they answer, to render the Note and its mention.
	Local    bool   `json:"local,omitempty"`
	Text     string `json:"text,omitempty"`
	ToActor  string `json:"to_actor,omitempty"`
	ToHandle string `json:"to_handle,omitempty"`
}

// Reaction kinds counted on our objects.
const (
	ReactionLike     = "Like"
	ReactionAnnounce = "Announce"
)

// Counts is how many likes and boosts an object received.
type Counts struct {
	Likes     int `json:"likes"`
	Announces int `json:"announces"`
	Replies   int `json:"replies"`
}
