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

// LegalForm is one entry of the European social-economy legal forms.
type LegalForm struct {
	Code   string // stable, <country>-<slug>; xx- for forms found everywhere
	Label  string // native name
	Family string // cooperative, association, mutual, foundation, social-enterprise, company, informal
}

// LegalForms is the list organisations choose their legal form from. The
// codes are published as mai:legalForm (docs/vocabulary.md), so they are
// stable: add forms, never rename a code.
var LegalForms = []LegalForm{
	{"fr-scop", "Société coopérative et participative (SCOP)", "cooperative"},
	{"fr-scic", "Société coopérative d'intérêt collectif (SCIC)", "cooperative"},
	{"fr-cae", "Coopérative d'activité et d'emploi (CAE)", "cooperative"},
	{"fr-coop-agricole", "Coopérative agricole", "cooperative"},
	{"fr-cuma", "Coopérative d'utilisation de matériel agricole (CUMA)", "cooperative"},
	{"fr-coop-conso", "Coopérative de consommateurs", "cooperative"},
	{"fr-coop-commercants", "Coopérative de commerçants détaillants", "cooperative"},
	{"fr-coop-habitants", "Coopérative d'habitants", "cooperative"},
	{"fr-association", "Association loi 1901", "association"},
	{"fr-mutuelle", "Mutuelle", "mutual"},
	{"fr-fondation", "Fondation", "foundation"},
	{"fr-fonds-dotation", "Fonds de dotation", "foundation"},
	{"fr-sc-ess", "Société commerciale de l'ESS", "social-enterprise"},
	{"de-eg", "eingetragene Genossenschaft (eG)", "cooperative"},
	{"de-ev", "eingetragener Verein (e.V.)", "association"},
	{"de-ggmbh", "gemeinnützige GmbH (gGmbH)", "social-enterprise"},
	{"de-stiftung", "Stiftung", "foundation"},
	{"de-vvag", "Versicherungsverein auf Gegenseitigkeit (VVaG)", "mutual"},
	{"it-coop", "Società cooperativa", "cooperative"},
	{"it-coop-sociale", "Cooperativa sociale", "cooperative"},
	{"it-impresa-sociale", "Impresa sociale", "social-enterprise"},
	{"it-associazione", "Associazione", "association"},
	{"it-fondazione", "Fondazione", "foundation"},
	{"it-sms", "Società di mutuo soccorso", "mutual"},
	{"es-coop", "Sociedad cooperativa", "cooperative"},
	{"es-sociedad-laboral", "Sociedad laboral", "social-enterprise"},
	{"es-asociacion", "Asociación", "association"},
	{"es-fundacion", "Fundación", "foundation"},
	{"es-mutualidad", "Mutualidad", "mutual"},
	{"be-sc", "Société coopérative / Coöperatieve vennootschap", "cooperative"},
	{"be-asbl", "ASBL / VZW", "association"},
	{"nl-cooperatie", "Coöperatie", "cooperative"},
	{"nl-vereniging", "Vereniging", "association"},
	{"nl-stichting", "Stichting", "foundation"},
	{"pt-cooperativa", "Cooperativa", "cooperative"},
	{"pt-ipss", "Instituição Particular de Solidariedade Social (IPSS)", "association"},
	{"pt-mutualista", "Associação mutualista", "mutual"},
	{"eu-sce", "Societas Cooperativa Europaea (SCE)", "cooperative"},
	{"xx-company", "Company with a social purpose", "company"},
	{"xx-informal", "Informal group or collective", "informal"},
}

// OrgStatuses are the life stages of an organisation.
var OrgStatuses = []string{"active", "dormant", "in-liquidation", "dissolved", "merged"}

// IsLegalForm reports whether code is in LegalForms.
func IsLegalForm(code string) bool {
	for _, f := range LegalForms {
		if f.Code == code {
			return true
		}
	}
	return false
}

// LegalFormLabel is what a person reads for a legal form: the form as
// registered when given, else the list's label for the code.
func LegalFormLabel(code, text string) string {
	if text != "" {
		return text
	}
	for _, f := range LegalForms {
		if f.Code == code {
			return f.Label
		}
	}
	return code
}
