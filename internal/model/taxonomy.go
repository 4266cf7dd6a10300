package model

// Sector is one entry of the sector taxonomy. Slugs are stable: a slug is
// never renamed, because remote instances store it.
type Sector struct {
	Slug string
	EN   string
	FR   string
}

// Sectors is the fixed sector taxonomy (see docs/vocabulary.md).
var Sectors = []Sector{
	{"mobility", "Mobility & logistics", "Mobilité et logistique"},
	{"energy", "Energy", "Énergie"},
	{"water-natural-resources", "Water, biodiversity & natural resources", "Eau, biodiversité et ressources naturelles"},
	{"food-agriculture", "Sustainable food & agriculture", "Alimentation et agriculture durables"},
	{"housing", "Housing & habitat", "Habitat et logement"},
	{"circular-economy", "Circular economy (reuse, repair, recycling)", "Économie circulaire (réemploi, réparation, recyclage)"},
	{"digital", "Digital, telecoms & cloud", "Numérique, télécoms et cloud"},
	{"finance", "Ethical finance & insurance", "Finance solidaire et assurance"},
	{"health-care", "Health, care & social services", "Santé, soin et action sociale"},
	{"education-training", "Education, training & digital inclusion", "Éducation, formation et inclusion numérique"},
	{"employment-inclusion", "Work integration & employment", "Insertion par l'activité économique et emploi"},
	{"culture-media", "Culture, media & leisure", "Culture, médias et loisirs"},
	{"citizenship-local-development", "Citizenship, democracy & local development", "Citoyenneté, démocratie et développement local"},
	{"ess-support", "ESS support, networks & federations", "Accompagnement, réseaux et fédérations de l'ESS"},
}

// PartnerRoles are the roles a call for partnership may seek.
var PartnerRoles = []string{
	"co-developer", "co-investor", "funder", "lender", "pilot-territory", "pilot-user",
	"supplier", "distributor", "subcontractor", "consortium-coordinator", "consortium-member",
	"associated-partner", "research-partner", "expert-mentor", "member-shareholder", "volunteer-network",
}

// Statuses allowed per kind.
var (
	ProjectStatuses = []string{"idea", "planning", "active", "paused", "completed", "cancelled"}
	CallStatuses    = []string{"open", "filled", "closed", "cancelled"}
)

// IsSector reports whether slug belongs to the taxonomy.
func IsSector(slug string) bool {
	for _, s := range Sectors {
		if s.Slug == slug {
			return true
		}
	}
	return false
}

// SectorHashtag is the hashtag used for a sector on the fediverse: the slug
// without dashes ("circular-economy" becomes "circulareconomy"), because
// Mastodon's hashtag syntax stops at a dash.
func SectorHashtag(slug string) string {
	b := make([]byte, 0, len(slug))
	for i := 0; i < len(slug); i++ {
		if slug[i] != '-' {
			b = append(b, slug[i])
		}
	}
	return string(b)
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}
