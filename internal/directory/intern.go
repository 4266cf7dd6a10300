package directory

// interned shares the strings many entries repeat (an organisation's IRI
// and name in each of its projects and calls, hosts, countries, places,
// statuses, sector slugs), counted so that a string no entry uses any
// more is dropped: a peer renaming its organisations again and again
// does not grow the table. Guarded by Index.mu.
type interned map[string]*internRef

type internRef struct {
	s string
	n int
}

func (t interned) get(s string) string {
	if s == "" {
		return s
	}
	r, ok := t[s]
	if !ok {
		r = &internRef{s: s}
		t[s] = r
	}
	r.n++
	return r.s
}

func (t interned) drop(s string) {
	if r, ok := t[s]; ok {
		if r.n--; r.n <= 0 {
			delete(t, s)
		}
	}
}

// acquire replaces e's repeated strings by the shared ones. An entry's
// page is usually its IRI: then they share one string too.
func (t interned) acquire(e *Entry) {
	if e.URL == e.ID {
		e.URL = e.ID
	}
	for _, p := range e.internedFields() {
		*p = t.get(*p)
	}
	for i := range e.Sectors {
		e.Sectors[i] = t.get(e.Sectors[i])
	}
	for i := range e.PartnerRoles {
		e.PartnerRoles[i] = t.get(e.PartnerRoles[i])
	}
}

// release undoes acquire when e leaves the index or is replaced.
func (t interned) release(e *Entry) {
	for _, p := range e.internedFields() {
		t.drop(*p)
	}
	for _, s := range e.Sectors {
		t.drop(s)
	}
	for _, s := range e.PartnerRoles {
		t.drop(s)
	}
}

func (e *Entry) internedFields() [8]*string {
	return [8]*string{&e.Org, &e.OrgName, &e.Source, &e.Country, &e.PlaceName, &e.Status, &e.LegalForm, &e.Website}
}
