package federation

// Namespace is the IRI prefix of maillage's own vocabulary. It is permanent:
// terms are added, never renamed (docs/vocabulary.md).
const Namespace = "https://w3id.org/maillage/ns#"

// Well-known IRIs.
const (
	asContext       = "https://www.w3.org/ns/activitystreams"
	securityContext = "https://w3id.org/security/v1"
	publicIRI       = "https://www.w3.org/ns/activitystreams#Public"
)

// ldContext is the @context of every document we serve. The term object
// declares Mastodon's extensions we use (the same IRIs Mastodon declares) and
// maillage's terms.
var ldContext = []any{
	asContext,
	securityContext,
	map[string]any{
		"toot":                      "http://joinmastodon.org/ns#",
		"schema":                    "http://schema.org#",
		"xsd":                       "http://www.w3.org/2001/XMLSchema#",
		"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
		"sensitive":                 "as:sensitive",
		"Hashtag":                   "as:Hashtag",
		"discoverable":              "toot:discoverable",
		"indexable":                 "toot:indexable",
		"featured":                  map[string]any{"@id": "toot:featured", "@type": "@id"},
		"alsoKnownAs":               map[string]any{"@id": "as:alsoKnownAs", "@type": "@id"},
		"movedTo":                   map[string]any{"@id": "as:movedTo", "@type": "@id"},
		"PropertyValue":             "schema:PropertyValue",
		"value":                     "schema:value",
		"mai":                       Namespace,
		"kind":                      "mai:kind",
		"title":                     "mai:title",
		"pitch":                     "mai:pitch",
		"sector":                    "mai:sector",
		"status":                    "mai:status",
		"deadline":                  map[string]any{"@id": "mai:deadline", "@type": "xsd:dateTime"},
		"partnerRole":               "mai:partnerRole",
		"country":                   "mai:country",
		"legalForm":                 "mai:legalForm",
		"legalFormText":             "mai:legalFormText",
		"website":                   map[string]any{"@id": "mai:website", "@type": "@id"},
		"memberOf":                  "mai:memberOf",
		"organisations":             map[string]any{"@id": "mai:organisations", "@type": "@id"},
		"contactUrl":                map[string]any{"@id": "mai:contactUrl", "@type": "@id"},
		"partner":                   "mai:partner",
		"fundingSought":             "mai:fundingSought",
		"eligibleCountry":           "mai:eligibleCountry",
		"project":                   map[string]any{"@id": "mai:project", "@type": "@id"},
		"fundingProgramme":          "mai:fundingProgramme",
		"fundingCallId":             "mai:fundingCallId",
		"howToRespond":              "mai:howToRespond",
		"translations":              map[string]any{"@id": "mai:translations", "@type": "@json"},
		"provenance":                "mai:provenance",
		"sourceName":                "mai:sourceName",
		"sourceUrl":                 map[string]any{"@id": "mai:sourceUrl", "@type": "@id"},
		"sourceId":                  "mai:sourceId",
		"sourceKey":                 "mai:sourceKey",
		"licence":                   "mai:licence",
		"withdrawn":                 map[string]any{"@id": "mai:withdrawn", "@type": "xsd:dateTime"},
		"legalName":                 "schema:legalName",
		"knowsLanguage":             "schema:knowsLanguage",
		"foundingDate":              "schema:foundingDate",
		"areaServed":                "schema:areaServed",
		"email":                     "schema:email",
		"inLanguage":                "schema:inLanguage",
		"MonetaryAmount":            "schema:MonetaryAmount",
		"currency":                  "schema:currency",
	},
}

// Media types.
const (
	ContentTypeAS  = "application/activity+json"
	contentTypeLD  = `application/ld+json; profile="https://www.w3.org/ns/activitystreams"`
	contentTypeJRD = "application/jrd+json"
)
