package federation

import "encoding/json"

// postTypes are the object types the inbox stores as posts (onCreateOrUpdate).
var postTypes = map[string]bool{"Note": true, "Article": true, "Page": true, "Question": true, "Event": true}

// objectValue is an activity's object property as decoded. An embedded post
// is decoded into postDoc's terms only: what Mastodon and GoToSocial add to
// a Note (replies collection, tags, attachments, contentMap beside content,
// conversation...) is skipped instead of being built into maps nothing
// reads. Anything else (an IRI, an actor, an activity) is decoded whole.
type objectValue struct{ v any }

func (o *objectValue) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '{' {
		// Decoded as a post first, without reading its type apart: most
		// embedded objects are posts. Anything else is decoded again, whole.
		var p postDoc
		if json.Unmarshal(b, &p) == nil {
			if t, ok := p.Type.(string); ok && postTypes[t] {
				o.v = p.toMap()
				return nil
			}
		}
	}
	return json.Unmarshal(b, &o.v)
}

// postDoc holds the terms of a post that the inbox reads: ASToObject,
// ASToReply, asToPlace and the audience (to, cc). A term read from an
// embedded post must be added here (TestDecodePostKeepsWhatIsRead compares
// with a whole decode).
type postDoc struct {
	Type, ID, AttributedTo, URL, InReplyTo, To, Cc                      any
	Content, ContentMap, Published, Updated, Kind, Title, Pitch, Source any
	InLanguage, Translations, Partner, FundingSought, EligibleCountry   any
	Project, FundingProgramme, FundingCallID, HowToRespond, Sector      any
	Status, PartnerRole, StartTime, EndTime, Deadline, Location         any
	Attachment                                                          any
}

// postTerms names postDoc's fields in JSON, in order: encoding/json takes
// a field without a tag by its name, case-insensitively, which is what
// these are.
var postTerms = [...]string{"type", "id", "attributedTo", "url", "inReplyTo", "to", "cc",
	"content", "contentMap", "published", "updated", "kind", "title", "pitch", "source",
	"inLanguage", "translations", "partner", "fundingSought", "eligibleCountry",
	"project", "fundingProgramme", "fundingCallId", "howToRespond", "sector",
	"status", "partnerRole", "startTime", "endTime", "deadline", "location",
	"attachment"}

func (p *postDoc) fields() [len(postTerms)]any {
	return [...]any{p.Type, p.ID, p.AttributedTo, p.URL, p.InReplyTo, p.To, p.Cc,
		p.Content, p.ContentMap, p.Published, p.Updated, p.Kind, p.Title, p.Pitch, p.Source,
		p.InLanguage, p.Translations, p.Partner, p.FundingSought, p.EligibleCountry,
		p.Project, p.FundingProgramme, p.FundingCallID, p.HowToRespond, p.Sector,
		p.Status, p.PartnerRole, p.StartTime, p.EndTime, p.Deadline, p.Location,
		p.Attachment}
}

// toMap is the post as the map readers of convert.go take it, with the
// terms it had.
func (p *postDoc) toMap() map[string]any {
	fs := p.fields()
	n := 0
	for _, v := range fs {
		if v != nil {
			n++
		}
	}
	m := make(map[string]any, n)
	for i, v := range fs {
		if v != nil {
			m[postTerms[i]] = v
		}
	}
	return m
}
