package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/fold"
	"codeberg.org/maillage/maillage/internal/importer"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Importing an existing map (issue #10): each organisation of the file
// becomes a local Organization actor of this instance, marked with its
// Provenance, so that it is followable and listed across the network
// until it claims its entry. The whole plan is applied in one store
// transaction: a failed import changes nothing.

// notAnOrg is the reason a project or call of a maillage export is not
// imported: it is published by its organisation's actor, on its own
// instance, and a copy here would be a second object with another id.
const notAnOrg = "projects and calls are not imported: follow their organisation, whose instance publishes them"

// Import plans batch against what the instance holds and, unless dryRun,
// applies the plan: it creates the new organisations, updates the changed
// ones (an Update goes to their followers), marks as withdrawn those the
// source no longer lists, and holds back possible duplicates. Entries that
// would not pass a profile's validation are refused. It returns the report
// of what was (or would be) done. Only an administrator may import.
func (s *Service) Import(ctx context.Context, p Principal, batch *importer.Batch, dryRun bool) (importer.Report, error) {
	if err := authorize(p, ActSettings, ""); err != nil {
		return importer.Report{}, fmt.Errorf("import: %w", err)
	}
	batch, urls := comparableBatch(orgsOnly(batch))
	var report importer.Report
	var changed []string
	plan := func(tx *store.Tx) (*importer.Plan, importedOrgs, error) {
		orgs, held, err := importHeld(tx, s.uris)
		if err != nil {
			return nil, orgs, err
		}
		pl := importer.NewPlan(batch, held)
		refuseInvalid(pl, batch)
		return pl, orgs, nil
	}
	if dryRun {
		err := s.store.View(func(tx *store.Tx) error {
			pl, _, err := plan(tx)
			if err == nil {
				report = pl.Report()
			}
			return err
		})
		if err != nil {
			return report, fmt.Errorf("import: %w", err)
		}
		return report, nil
	}
	err := s.store.Update(func(tx *store.Tx) error {
		pl, orgs, err := plan(tx)
		if err != nil {
			return err
		}
		if changed, err = s.applyPlan(tx, pl, batch, urls, orgs); err != nil {
			return err
		}
		report = pl.Report()
		return nil
	})
	if err != nil {
		return importer.Report{}, fmt.Errorf("import %s: %w", batch.Source, err)
	}
	s.poke()
	s.changed(changed...)
	c := report.Counts
	s.log.Info("import applied", "source", batch.Source, "added", c.Added, "updated", c.Updated,
		"unchanged", c.Unchanged, "withdrawn", c.Withdrawn, "refused", c.Refused, "duplicates", c.Duplicates)
	return report, nil
}

// orgsOnly returns batch without its projects and calls, refused with
// notAnOrg.
func orgsOnly(batch *importer.Batch) *importer.Batch {
	if !slices.ContainsFunc(batch.Entries, func(e importer.Entry) bool { return e.Kind != "" && e.Kind != "org" }) {
		return batch
	}
	b := *batch
	b.Entries, b.Refs = nil, nil
	b.Refused = slices.Clone(batch.Refused)
	for i, e := range batch.Entries {
		if e.Kind != "" && e.Kind != "org" {
			b.Refused = append(b.Refused, importer.Refusal{Ref: batch.Refs[i], SourceID: e.SourceID, Name: e.Name,
				Reasons: []string{notAnOrg}})
			continue
		}
		b.Entries, b.Refs = append(b.Entries, e), append(b.Refs, batch.Refs[i])
	}
	return &b
}

// comparableBatch returns batch with its entries reduced to what a
// profile keeps of them (comparable), and the entries' own pages by
// reference: they go into the provenance, but are not compared.
func comparableBatch(batch *importer.Batch) (*importer.Batch, map[importer.Ref]string) {
	b := *batch
	b.Entries = make([]importer.Entry, len(batch.Entries))
	urls := make(map[importer.Ref]string)
	for i, e := range batch.Entries {
		b.Entries[i] = comparable(e)
		url := e.URL
		if e.Provenance.Via != "" {
			// Relayed by another instance's export: the page that
			// instance recorded at the map, not the one at the instance.
			url = e.Provenance.SourceURL
		}
		if url != "" {
			urls[batch.Refs[i]] = url
		}
	}
	return &b, urls
}

// refuseInvalid moves the entries to add or update whose profile would
// not validate to the refused ones: an import never stores what the
// profile form would refuse.
func refuseInvalid(pl *importer.Plan, batch *importer.Batch) {
	refuse := func(ref importer.Ref, e importer.Entry, err error) {
		reasons := []string{"not a valid profile"}
		var ve *model.ValidationError
		if errors.As(err, &ve) {
			reasons = reasons[:0]
			for _, f := range slices.Sorted(mapKeys(ve.Fields)) {
				reasons = append(reasons, "invalid "+f)
			}
		}
		pl.Refused = append(pl.Refused, importer.Refusal{Ref: ref, SourceID: e.SourceID, Name: e.Name, Reasons: reasons})
	}
	check := func(e importer.Entry) error {
		o := model.Org{Name: "imported", Profile: entryProfile(e), Provenance: entryProvenance(e, batch, "")}
		return o.Validate()
	}
	pl.Added = slices.DeleteFunc(pl.Added, func(a importer.Planned) bool {
		if err := check(a.Entry); err != nil {
			refuse(a.Ref, a.Entry, err)
			return true
		}
		return false
	})
	pl.Updated = slices.DeleteFunc(pl.Updated, func(u importer.Update) bool {
		if err := check(u.Entry); err != nil {
			refuse(u.Ref, u.Entry, err)
			return true
		}
		return false
	})
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// importedOrgs are the local actors a plan is applied to.
type importedOrgs struct {
	byIRI map[string]model.Org // organisations
	names map[string]bool      // every local actor's name
}

// applyPlan writes pl in tx and returns the IRIs whose directory entries
// changed. urls are the entries' own pages, by reference.
func (s *Service) applyPlan(tx *store.Tx, pl *importer.Plan, batch *importer.Batch, urls map[importer.Ref]string, orgs importedOrgs) ([]string, error) {
	now := s.Now().UTC()
	var changed []string
	taken := orgs.names
	for _, a := range pl.Added {
		name, err := s.importName(tx, a.Entry.Name, taken)
		if err != nil {
			return nil, err
		}
		// No key pair: it is made on first use (httpsign.LocalKeys.Ensure).
		o := model.Org{Name: name, Profile: entryProfile(a.Entry), Provenance: entryProvenance(a.Entry, batch, urls[a.Ref]),
			Created: now, Updated: now}
		o.Provenance.Imported = now
		if err := tx.CreateOrg(o); err != nil {
			return nil, err
		}
		changed = append(changed, s.uris.Actor(name))
	}
	for _, u := range pl.Updated {
		o, ok := orgs.byIRI[u.Key]
		if !ok {
			return nil, fmt.Errorf("update %s: %w", u.Key, store.ErrNotFound)
		}
		o.Profile = mergeProfile(o.Profile, entryProfile(u.Entry))
		o.Provenance = entryProvenance(u.Entry, batch, urls[u.Ref])
		o.Provenance.Imported, o.Updated = now, now
		if err := s.putImported(tx, o, true); err != nil {
			return nil, err
		}
		changed = append(changed, s.uris.Actor(o.Name))
	}
	for _, u := range pl.Unchanged {
		o := orgs.byIRI[u.Key]
		o.Provenance.Imported = now
		o.Provenance.SourceURL = sourceURL(urls[u.Ref], batch)
		if err := s.putImported(tx, o, false); err != nil {
			return nil, err
		}
	}
	for _, w := range pl.Withdrawn {
		o := orgs.byIRI[w.Key]
		o.Provenance.Withdrawn, o.Updated = now, now
		if err := s.putImported(tx, o, true); err != nil {
			return nil, err
		}
		changed = append(changed, s.uris.Actor(o.Name))
	}
	return changed, nil
}

// putImported stores o and, when federate, sends an Update of the actor
// to its followers and to the instance actor's followers: instances that
// follow this one learn of the change as they learned of the entry
// (backfill), without following each organisation. An organisation with
// no key yet was never served nor followed, since both make its key
// (httpsign.LocalKeys.Ensure): no one holds a copy to update.
func (s *Service) putImported(tx *store.Tx, o model.Org, federate bool) error {
	if err := tx.PutOrg(o); err != nil || !federate || o.PublicKeyPEM == "" {
		return err
	}
	inboxes, err := followerInboxes(tx, o.Name)
	if err != nil {
		return err
	}
	inst, err := followerInboxes(tx, model.InstanceName)
	if err != nil {
		return err
	}
	for _, in := range inst {
		inboxes = appendUnique(inboxes, in)
	}
	org := o
	a := model.Activity{ID: s.uris.Activity(uris.NewID(s.Now())), Type: "Update", Actor: o.Name,
		ObjectID: s.uris.Actor(o.Name), Org: &org, Published: o.Updated,
		To: []string{PublicIRI}, CC: []string{s.uris.Followers(o.Name)}}
	return s.emit(tx, a, inboxes, false)
}

// importHeld reads what the instance holds for a plan: the local
// organisations (by IRI, for applying) and, as importer.Held, those
// imported, those self-published, and the remote organisations of the
// directory. A claimed entry, or one moved to another actor, is held as
// self-published: a new import of its source no longer updates nor
// withdraws it, and its source entry is a possible duplicate of it.
func importHeld(tx *store.Tx, u uris.URIs) (importedOrgs, []importer.Held, error) {
	orgs, err := tx.Orgs()
	if err != nil {
		return importedOrgs{}, nil, err
	}
	io := importedOrgs{byIRI: make(map[string]model.Org, len(orgs)), names: make(map[string]bool, len(orgs))}
	held := make([]importer.Held, 0, len(orgs))
	for _, o := range orgs {
		io.names[o.Name] = true
		if !o.IsOrganisation() {
			continue
		}
		io.byIRI[u.Actor(o.Name)] = o
		h := importer.Held{Key: u.Actor(o.Name), Entry: profileEntry(o.Profile)}
		if pv := o.Provenance; pv.Listed() && o.MovedTo == "" {
			h.Entry.SourceID = pv.SourceID
			h.Entry.Provenance = importer.Provenance{Source: pv.Source, SourceID: pv.SourceID, SourceKey: pv.SourceKey,
				Licence: pv.Licence, Via: pv.Via}
			h.Withdrawn = !pv.Withdrawn.IsZero()
		}
		held = append(held, h)
	}
	actors, err := tx.Actors()
	if err != nil {
		return io, nil, err
	}
	for _, a := range actors {
		if a.Type != "Organization" || a.Profile == nil {
			continue
		}
		held = append(held, importer.Held{Key: a.ID, Entry: profileEntry(*a.Profile)})
	}
	return io, held, nil
}

// profileEntry is the importer's view of a profile: the fields an import
// sets (entryProfile), so that an entry imported unchanged compares equal.
func profileEntry(p model.Profile) importer.Entry {
	e := importer.Entry{Kind: "org", Name: p.DisplayName, Description: p.Summary, Website: p.Website,
		Email: p.ContactEmail, Sectors: p.Sectors}
	e.Place.Country = p.Country
	if l := p.Location; l != nil {
		e.Place.Name, e.Place.Lat, e.Place.Lon = l.Name, l.Latitude, l.Longitude
	}
	return e
}

// comparable reduces e to what a profile keeps of it (entryProfile), so
// that NewPlan's diff only sees changes that reach the profile.
func comparable(e importer.Entry) importer.Entry {
	c := profileEntry(entryProfile(e))
	c.SourceID = e.SourceID
	c.Provenance = e.Provenance
	c.Provenance.Origin, c.Provenance.SourceURL = "", ""
	c.Notes = e.Notes
	return c
}

// entryProfile is the profile of an imported organisation: display name,
// summary (the description, then GoGoCarto's descriptionMore and
// commitment, cut to the profile's limit), website, place, country,
// sectors and the public role e-mail the importer kept, nothing else.
func entryProfile(e importer.Entry) model.Profile {
	var parts []string
	for _, t := range []string{e.Description, e.DescriptionMore, e.Commitment} {
		if t = strings.TrimSpace(t); t != "" {
			parts = append(parts, t)
		}
	}
	p := model.Profile{DisplayName: clipRunes(strings.TrimSpace(e.Name), model.MaxName),
		Summary: clipRunes(strings.Join(parts, "\n\n"), model.MaxSummary), Website: e.Website,
		Country: e.Place.Country, Sectors: slices.Clone(e.Sectors), ContactEmail: e.Email}
	name := e.Place.Locality
	if name == "" {
		name = e.Place.Name
	}
	if name != "" || e.Place.Lat != nil {
		p.Location = &model.Place{Name: clipRunes(name, model.MaxName), Country: e.Place.Country,
			Latitude: e.Place.Lat, Longitude: e.Place.Lon}
	}
	return normalProfile(p)
}

// mergeProfile is old with the fields an import sets taken from new: what
// an administrator added (legal form, languages, icon) stays.
func mergeProfile(old, new model.Profile) model.Profile {
	old.DisplayName, old.Summary, old.Website = new.DisplayName, new.Summary, new.Website
	old.Country, old.Location, old.Sectors, old.ContactEmail = new.Country, new.Location, new.Sectors, new.ContactEmail
	return old
}

// entryProvenance is the provenance an import records. Its SourceURL is
// the entry's own page at the source when the file gives one, else the
// file's URL or name: the link a reader follows to check the source. An
// organisation another instance's export lists from a map keeps that map
// as its source, with its id there, and the export's source as Via.
func entryProvenance(e importer.Entry, batch *importer.Batch, url string) *model.Provenance {
	lic := e.Provenance.Licence
	if lic == "" {
		lic = batch.Licence
	}
	pv := &model.Provenance{Source: batch.Source, SourceURL: sourceURL(url, batch), SourceID: e.SourceID,
		SourceKey: e.Provenance.SourceKey, Licence: lic, Imported: batch.Imported}
	if e.Provenance.Via != "" {
		pv.Source, pv.Via = e.Provenance.Source, e.Provenance.Via
		if e.Provenance.SourceID != "" {
			pv.SourceID = e.Provenance.SourceID
		}
	}
	return pv
}

func sourceURL(url string, batch *importer.Batch) string {
	if url != "" {
		return url
	}
	return batch.SourceURL
}

// clipRunes cuts s to at most max characters, ending with "…" when cut.
func clipRunes(s string, max int) string {
	if utf8.RuneCountInString(s) <= max {
		return s
	}
	r := []rune(s)[:max-1]
	return strings.TrimRight(string(r), " \n") + "…"
}

// importName derives a free local name from an entry's name: folded to
// Mastodon's username syntax, at most 30 characters, then "-2", "-3"…
// until neither an organisation nor an account has it.
func (s *Service) importName(tx *store.Tx, display string, taken map[string]bool) (string, error) {
	base := slugName(display)
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			suffix := fmt.Sprintf("-%d", i)
			name = strings.TrimRight(base[:min(len(base), 30-len(suffix))], "-._") + suffix
		}
		if taken[name] || model.ValidName(name) != nil {
			continue
		}
		acc, err := accountNamed(tx, name)
		if err != nil {
			return "", err
		}
		if !acc {
			taken[name] = true
			return name, nil
		}
	}
}

// slugName is display folded to lower-case ASCII letters, digits and
// single hyphens, at most 30 characters; "org" when nothing is left.
func slugName(display string) string {
	var b strings.Builder
	dash := false
	for _, r := range fold.String(display) {
		switch {
		case r >= 'a' && r <= 'z' || r >= '0' && r <= '9':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		default:
			dash = true
		}
		if b.Len() >= 30 {
			break
		}
	}
	name := strings.Trim(b.String(), "-")
	if len(name) > 30 {
		name = strings.TrimRight(name[:30], "-")
	}
	if name == "" || name == model.InstanceName {
		name = "org"
	}
	return name
}
