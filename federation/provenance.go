package federation

import (
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
)

// An organisation listed by its instance from an imported map, not
// self-published, carries mai:provenance: the source map's name, the link
// to its entry (or the file), the source's own id, the database the
// source aggregated it from, the licence and, when a later import no
// longer carried it, its withdrawal (docs/vocabulary.md). The time of the
// last import is left out: an import that changes nothing sends no Update.
// A claimed entry is self-published again and carries none.

func provenanceTerms(p model.Provenance) map[string]any {
	m := map[string]any{"type": "mai:Provenance", "sourceName": p.Source, "sourceId": p.SourceID}
	for k, v := range map[string]string{"sourceUrl": p.SourceURL, "sourceKey": p.SourceKey, "licence": p.Licence} {
		if v != "" {
			m[k] = v
		}
	}
	if !p.Withdrawn.IsZero() {
		m["withdrawn"] = p.Withdrawn.UTC().Format(time.RFC3339)
	}
	return m
}

// asToProvenance reads mai:provenance, nil when absent or without a
// source name. Text is plain and clipped; a source URL that is not http(s)
// is dropped.
func asToProvenance(v any) *model.Provenance {
	m, ok := v.(map[string]any)
	if !ok {
		return nil
	}
	text := func(k string) string { return firstLine(sanitize.Text(str(m, k)), model.MaxName) }
	p := &model.Provenance{Source: text("sourceName"), SourceID: text("sourceId"), SourceKey: text("sourceKey"),
		Licence: text("licence"), Withdrawn: parseTime(str(m, "withdrawn"))}
	if p.Source == "" {
		return nil
	}
	if u := iri(m["sourceUrl"]); isHTTPIRI(u) && len(u) <= maxActorIRI {
		p.SourceURL = u
	}
	return p
}
