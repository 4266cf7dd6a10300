package service

import (
	"context"
	"errors"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/importer"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/store"
)

const importCSV = `id,name,description,locality,country,lat,lon,website,email,categories
t1,Énergie Citoyenne Nantes,Production d'électricité,Nantes,FR,47.2184,-1.5536,https://energie.example.org,contact@energie.example.org,Climat et énergie
t2,Atelier Répar'Tout,Réparation de vélos,Lyon,FR,45.7676,4.8344,https://repartout.example.org,sophie.martin@repartout.example.org,
t3,Épicerie solidaire,Épicerie,Paris,FR,48.8589,2.3790,,,
`

func parseImport(t *testing.T, csv, source string, now time.Time) *importer.Batch {
	t.Helper()
	b, err := importer.Parse(strings.NewReader(csv), importer.Options{Format: importer.FormatCSV, Source: source,
		SourceURL: "https://map.example/" + source, Licence: "ODbL-1.0", Now: now})
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return b
}

func (e *testEnv) importCSV(t *testing.T, csv string, dryRun bool) importer.Report {
	t.Helper()
	r, err := e.svc.Import(context.Background(), TokenPrincipal(), parseImport(t, csv, "Transiscope", e.clock.Now()), dryRun)
	if err != nil {
		t.Fatalf("Import: %v", err)
	}
	return r
}

// imported returns the local organisations imported, by source id.
func (e *testEnv) imported(t *testing.T) map[string]model.Org {
	t.Helper()
	out := map[string]model.Org{}
	e.view(t, func(tx *store.Tx) error {
		orgs, err := tx.Orgs()
		for _, o := range orgs {
			if o.Provenance != nil {
				out[o.Provenance.SourceID] = o
			}
		}
		return err
	})
	return out
}

// served gives name the key its actor gets when first served or followed
// (httpsign.LocalKeys.Ensure).
func (e *testEnv) served(t *testing.T, name string) {
	t.Helper()
	e.update(t, func(tx *store.Tx) error {
		o, err := tx.Org(name)
		if err != nil {
			return err
		}
		o.PrivateKeyPEM, o.PublicKeyPEM = testPrivatePEM, testPublicPEM
		return tx.PutOrg(o)
	})
}

func TestImportCreatesOrganisations(t *testing.T) {
	e := newTestEnv(t)
	keys := e.keyPairs.Load()
	var seen []string
	e.svc.onCommit = append(e.svc.onCommit, func(_ *store.Tx, ids ...string) func() { seen = append(seen, ids...); return nil })

	dry := e.importCSV(t, importCSV, true)
	if dry.Counts.Added != 3 {
		t.Fatalf("dry run: added %d, want 3: %+v", dry.Counts.Added, dry.Counts)
	}
	if got := e.imported(t); len(got) != 0 {
		t.Fatalf("dry run created %d organisations", len(got))
	}

	r := e.importCSV(t, importCSV, false)
	if r.Counts != (importer.Counts{Added: 3}) {
		t.Fatalf("counts = %+v, want 3 added", r.Counts)
	}
	got := e.imported(t)
	o := got["t1"]
	if o.Name != "energie-citoyenne-nantes" || o.DisplayName != "Énergie Citoyenne Nantes" || o.Country != "FR" ||
		o.Website != "https://energie.example.org" || o.Location == nil || o.Location.Name != "Nantes" ||
		!slices.Contains(o.Sectors, "energy") {
		t.Errorf("imported org = %+v (location %+v)", o, o.Location)
	}
	if o.ContactEmail != "contact@energie.example.org" {
		t.Errorf("role address = %q, want kept", o.ContactEmail)
	}
	if got["t2"].ContactEmail != "" {
		t.Errorf("personal address kept: %q", got["t2"].ContactEmail)
	}
	p := o.Provenance
	if p.Source != "Transiscope" || p.Licence != "ODbL-1.0" || p.SourceURL != "https://map.example/Transiscope" ||
		!p.Imported.Equal(t0) || !p.Withdrawn.IsZero() || !p.Listed() {
		t.Errorf("provenance = %+v", p)
	}
	if o.PrivateKeyPEM != "" || e.keyPairs.Load() != keys {
		t.Errorf("import generated %d key pairs; want none (made on first use)", e.keyPairs.Load()-keys)
	}
	if len(seen) != 3 {
		t.Errorf("observers told %v, want the 3 new IRIs", seen)
	}
	if q := e.queue(t); len(q) != 0 {
		t.Errorf("a first import queued %d deliveries", len(q))
	}
}

func TestReimport(t *testing.T) {
	e := newTestEnv(t)
	e.importCSV(t, importCSV, false)
	follower := remoteActor("masto.example", "zoe", true)
	peer := remoteActor("peer.example", "instance", true) // an instance following ours
	e.addFollower(t, "energie-citoyenne-nantes", follower, false)
	e.addFollower(t, "epicerie-solidaire", follower, false)
	e.addFollower(t, model.InstanceName, peer, false)
	e.served(t, "energie-citoyenne-nantes")
	e.served(t, "epicerie-solidaire")
	e.clock.Advance(24 * time.Hour)

	// Same file: nothing changes, nothing federates.
	r := e.importCSV(t, importCSV, false)
	if r.Counts != (importer.Counts{Unchanged: 3}) {
		t.Fatalf("same file: counts = %+v, want 3 unchanged", r.Counts)
	}
	if q := e.queue(t); len(q) != 0 {
		t.Fatalf("unchanged import queued %d deliveries", len(q))
	}
	if got := e.imported(t)["t1"].Provenance.Imported; !got.Equal(t0.Add(24 * time.Hour)) {
		t.Errorf("imported time = %v, want the last import's", got)
	}

	// t1 renamed, t2 described anew, t3 gone, t4 new.
	next := strings.Replace(importCSV, "Énergie Citoyenne Nantes", "Énergie Citoyenne de Nantes", 1)
	next = strings.Replace(next, "Réparation de vélos", "Réparation de vélos et d'ordinateurs", 1)
	next = strings.Replace(next, "t3,Épicerie solidaire,Épicerie,Paris,FR,48.8589,2.3790,,,\n",
		"t4,Ressourcerie du Port,Réemploi,Marseille,FR,43.2965,5.3698,https://port.example.org,,\n", 1)
	e.clock.Advance(time.Hour)
	r = e.importCSV(t, next, false)
	if r.Counts != (importer.Counts{Added: 1, Updated: 2, Withdrawn: 1}) {
		t.Fatalf("counts = %+v", r.Counts)
	}
	got := e.imported(t)
	if o := got["t1"]; o.DisplayName != "Énergie Citoyenne de Nantes" || o.Name != "energie-citoyenne-nantes" {
		t.Errorf("updated org = %s %q", o.Name, o.DisplayName)
	}
	if w := got["t3"].Provenance.Withdrawn; w.IsZero() {
		t.Errorf("t3 not marked withdrawn")
	}
	// The followers of each and of the instance; t2, changed too but never
	// served, has no copy anywhere to update.
	want := []sent{
		{"Update", "energie-citoyenne-nantes", follower.SharedInbox},
		{"Update", "energie-citoyenne-nantes", peer.SharedInbox},
		{"Update", "epicerie-solidaire", follower.SharedInbox},
		{"Update", "epicerie-solidaire", peer.SharedInbox},
	}
	if s := e.sent(t); !slices.Equal(s, want) {
		t.Errorf("sent %+v, want %+v", s, want)
	}

	// Listed again: no longer withdrawn.
	e.clearQueue(t)
	r = e.importCSV(t, importCSV, false)
	if r.Counts.Updated != 3 || r.Counts.Withdrawn != 1 {
		t.Fatalf("third import: %+v", r.Counts)
	}
	if w := e.imported(t)["t3"].Provenance.Withdrawn; !w.IsZero() {
		t.Errorf("t3 still withdrawn after it came back")
	}
}

func TestImportDuplicates(t *testing.T) {
	e := newTestEnv(t)
	lat, lon := 45.7676, 4.8344
	remote := remoteActor("other.example", "repar", true)
	remote.Type = "Organization"
	remote.Profile = &model.Profile{DisplayName: "Atelier Répar'Tout", Website: "https://repartout.example.org",
		Location: &model.Place{Latitude: &lat, Longitude: &lon}}
	e.update(t, func(tx *store.Tx) error { return tx.PutActor(remote) })
	if _, err := e.svc.CreateOrg(context.Background(), TokenPrincipal(), model.Org{Name: "energie",
		Profile: model.Profile{DisplayName: "Énergie Citoyenne Nantes", Website: "https://energie.example.org"}}); err != nil {
		t.Fatal(err)
	}
	r := e.importCSV(t, importCSV, false)
	if r.Counts.Added != 1 || r.Counts.Duplicates != 2 {
		t.Fatalf("counts = %+v, want 1 added and 2 duplicates", r.Counts)
	}
	got := e.imported(t)
	if _, ok := got["t1"]; ok {
		t.Error("t1 created despite the local organisation with its website")
	}
	if _, ok := got["t2"]; ok {
		t.Error("t2 created despite the remote organisation")
	}
	var matched []string
	for _, l := range r.Lines {
		if l.Action == "duplicate" {
			matched = append(matched, strings.Join(l.Details, " "))
		}
	}
	joined := strings.Join(matched, "\n")
	if !strings.Contains(joined, e.u.Actor("energie")) || !strings.Contains(joined, remote.ID) {
		t.Errorf("duplicate lines do not name the held entries:\n%s", joined)
	}
}

func TestImportRefuses(t *testing.T) {
	e := newTestEnv(t)
	csv := importCSV + "t5,A name,,,FR,,,not a url,,\n"
	b := parseImport(t, csv, "Transiscope", t0)
	// A project from a maillage export.
	b.Entries = append(b.Entries, importer.Entry{SourceID: "https://x.example/projects/1", Kind: "project", Name: "P"})
	b.Refs = append(b.Refs, importer.Ref{Index: 99})
	r, err := e.svc.Import(context.Background(), TokenPrincipal(), b, false)
	if err != nil {
		t.Fatal(err)
	}
	if r.Counts.Added != 3 || r.Counts.Refused < 1 {
		t.Fatalf("counts = %+v", r.Counts)
	}
	var reasons []string
	for _, l := range r.Lines {
		if l.Action == "refused" {
			reasons = append(reasons, l.SourceID+": "+strings.Join(l.Details, "; "))
		}
	}
	if !slices.ContainsFunc(reasons, func(s string) bool { return strings.Contains(s, notAnOrg) }) {
		t.Errorf("refusals %q do not say why the project is left out", reasons)
	}
}

func TestImportForbiddenAndAtomic(t *testing.T) {
	e := newTestEnv(t)
	member := AccountPrincipal(Account{Username: "m", Role: RoleEditor, Orgs: []string{"acme"}})
	_, err := e.svc.Import(context.Background(), member, parseImport(t, importCSV, "Transiscope", t0), false)
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("editor import: err = %v, want forbidden", err)
	}

	e.importCSV(t, importCSV, false)
	e.addFollower(t, "energie-citoyenne-nantes", remoteActor("masto.example", "zoe", true), false)
	e.served(t, "energie-citoyenne-nantes")
	// The Update of t1 cannot be rendered: the import fails after t4 was
	// created and t3 withdrawn in its transaction, and none of it stays.
	next := strings.Replace(importCSV, "Énergie Citoyenne Nantes", "Énergie Citoyenne de Nantes", 1)
	next = strings.Replace(next, "t3,", "t4,", 1)
	e.svc.renderer = failingRenderer{}
	if _, err := e.svc.Import(context.Background(), TokenPrincipal(), parseImport(t, next, "Transiscope", t0), false); err == nil {
		t.Fatal("import succeeded with a failing renderer")
	}
	got := e.imported(t)
	if _, ok := got["t4"]; ok || len(got) != 3 || !got["t3"].Provenance.Withdrawn.IsZero() ||
		got["t1"].DisplayName != "Énergie Citoyenne Nantes" {
		t.Errorf("a failed import changed the store: %d orgs, t3 withdrawn %v, t1 %q", len(got),
			got["t3"].Provenance.Withdrawn, got["t1"].DisplayName)
	}
}

type failingRenderer struct{}

func (failingRenderer) RenderActivity(model.Activity) ([]byte, error) {
	return nil, errors.New("render failed")
}

func TestSlugName(t *testing.T) {
	for in, want := range map[string]string{
		"Énergie Citoyenne Nantes": "energie-citoyenne-nantes",
		"L'Atelier « Répar'Tout »": "l-atelier-repar-tout",
		"instance":                 "org",
		"!!!":                      "org",
		"Coopérative d'habitants du quartier des Œillets": "cooperative-d-habitants-du-qua",
	} {
		if got := slugName(in); got != want {
			t.Errorf("slugName(%q) = %q, want %q", in, got, want)
		}
	}
	e := newTestEnv(t)
	taken := map[string]bool{"acme": true}
	e.view(t, func(tx *store.Tx) error {
		for _, want := range []string{"acme-2", "acme-3"} {
			if got, err := e.svc.importName(tx, "ACME", taken); err != nil || got != want {
				t.Errorf("importName(ACME) = %q, %v; want %q", got, err, want)
			}
		}
		return nil
	})
}

// TestImportFixtures applies the importer's fixtures, one per format:
// every organisation created has a valid profile, and none keeps a
// personal e-mail address.
func TestImportFixtures(t *testing.T) {
	dir := filepath.Join("..", "importer", "testdata")
	tax, err := os.Open(filepath.Join(dir, "gogocarto-taxonomy.json"))
	if err != nil {
		t.Fatal(err)
	}
	defer tax.Close()
	for _, tc := range []struct {
		file   string
		format importer.Format
		tax    io.Reader
	}{
		{"gogocarto-elements.json", importer.FormatGoGoCarto, tax},
		{"gogocarto-array.json", importer.FormatGoGoCarto, nil},
		{"entries.geojson", importer.FormatGeoJSON, nil},
		{"entries.csv", importer.FormatCSV, nil},
	} {
		t.Run(tc.file, func(t *testing.T) {
			e := newTestEnv(t)
			f, err := os.Open(filepath.Join(dir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			b, err := importer.ParseRequest(importer.Request{Format: tc.format, Source: "Fixture", SourceURL: tc.file}, f, tc.tax, nil, t0)
			if err != nil {
				t.Fatal(err)
			}
			r, err := e.svc.Import(context.Background(), TokenPrincipal(), b, false)
			if err != nil {
				t.Fatal(err)
			}
			got := e.imported(t)
			if r.Counts.Added == 0 || len(got) != r.Counts.Added {
				t.Fatalf("counts %+v, %d organisations", r.Counts, len(got))
			}
			for id, o := range got {
				if err := o.Validate(); err != nil {
					t.Errorf("%s: %v", id, err)
				}
				if o.ContactEmail != "" && !strings.HasSuffix(o.ContactEmail, "@"+strings.TrimPrefix(hostOf(o.Website), "www.")) {
					t.Errorf("%s: kept %q, not a role address of %s", id, o.ContactEmail, o.Website)
				}
			}
		})
	}
}

func hostOf(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		return ""
	}
	return u.Hostname()
}
