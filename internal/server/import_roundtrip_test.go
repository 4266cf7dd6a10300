package server_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"codeberg.org/maillage/maillage/internal/importer"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// relayMap is a map whose entries have their own pages at the source.
const relayMap = `id,name,description,locality,country,lat,lon,website,url,categories
t1,Énergie Citoyenne Nantes,"Production d'électricité, en SCIC",Nantes,FR,47.2184,-1.5536,https://energie.example.org,https://transiscope.example/fiche/t1,Climat et énergie
t2,Atelier Répar'Tout,Réparation de vélos,Lyon,FR,45.7676,4.8344,https://repartout.example.org,https://transiscope.example/fiche/t2,
`

// TestImportMaillageExport: B imports A's /directory.csv, in which A lists
// two organisations from Transiscope. B's organisations keep Transiscope
// as their source, with its ids, pages and licence (not A's export), so
// B's own export carries what A's did; importing the export again changes
// nothing, and an entry A no longer exports is withdrawn on B. (A's own
// organisation has no country, which an import requires: refused.)
func TestImportMaillageExport(t *testing.T) {
	a := testenv.Start(t, "127.0.16.4", testenv.Options{})
	b := testenv.Start(t, "127.0.16.5", testenv.Options{})
	q := url.Values{"format": {"csv"}, "source": {"Transiscope"}, "licence": {"ODbL-1.0"}}
	if status, r, body := importFile(t, a, q, strings.NewReader(relayMap)); status != http.StatusOK || r.Counts.Added != 2 {
		t.Fatalf("A's import: status %d, counts %+v, %s", status, r.Counts, body)
	}
	exportA := exportRows(t, a)

	bq := url.Values{"format": {"csv"}, "source": {"Export of A"}, "source_url": {"directory.csv"}}
	_, aCSV := a.Get(a.Base+"/directory.csv", "text/csv")
	status, r, body := importFile(t, b, bq, bytes.NewReader(aCSV))
	if status != http.StatusOK || r.Counts != (importer.Counts{Added: 2, Refused: 1}) {
		t.Fatalf("B's import: status %d, counts %+v, %s", status, r.Counts, body)
	}
	exportB := exportRows(t, b)
	for _, title := range []string{"Énergie Citoyenne Nantes", "Atelier Répar'Tout"} {
		ra, rb := exportA[title], exportB[title]
		if ra == nil || rb == nil {
			t.Fatalf("%s: exported by A %v, by B %v", title, ra != nil, rb != nil)
		}
		// Everything but the entry's page and instance, which are B's now.
		for k, v := range ra {
			if k != "url" && k != "source" && rb[k] != v {
				t.Errorf("%s: %s is %q on B, %q on A", title, k, rb[k], v)
			}
		}
		if rb["listed_by"] != "Transiscope" || !strings.HasPrefix(rb["listed_by_url"], "https://transiscope.example/fiche/t") ||
			rb["listed_by_id"] == "" || rb["licence"] != "ODbL-1.0" || rb["summary"] == "" {
			t.Errorf("%s: B exports %v", title, rb)
		}
	}
	_, page := b.Get(b.Actor("energie-citoyenne-nantes"), "text/html")
	for _, s := range []string{"from Transiscope (ODbL-1.0)", "received through the export of Export of A", `href="https://transiscope.example/fiche/t1"`} {
		if !bytes.Contains(page, []byte(s)) {
			t.Errorf("B's organisation page lacks %q", s)
		}
	}

	// The same export again: nothing changes.
	status, r, body = importFile(t, b, bq, bytes.NewReader(aCSV))
	if status != http.StatusOK || r.Counts != (importer.Counts{Unchanged: 2, Refused: 1}) {
		t.Fatalf("B's re-import: status %d, counts %+v, %s", status, r.Counts, body)
	}
	// A no longer lists t2: nor does B, once it imports A's export again.
	if status, r, body := importFile(t, a, q, strings.NewReader(strings.Join(strings.SplitAfter(relayMap, "\n")[:2], ""))); status != http.StatusOK || r.Counts.Withdrawn != 1 {
		t.Fatalf("A's re-import: status %d, counts %+v, %s", status, r.Counts, body)
	}
	testenv.WaitFor(t, wait, "A's export to drop the withdrawn entry", func() bool {
		_, data := a.Get(a.Base+"/directory.csv", "text/csv")
		return !bytes.Contains(data, []byte("Atelier Répar"))
	})
	_, aCSV = a.Get(a.Base+"/directory.csv", "text/csv")
	status, r, body = importFile(t, b, bq, bytes.NewReader(aCSV))
	if status != http.StatusOK || r.Counts != (importer.Counts{Unchanged: 1, Withdrawn: 1, Refused: 1}) {
		t.Fatalf("B's import of A's new export: status %d, counts %+v, %s", status, r.Counts, body)
	}
	if _, page := b.Get(b.Actor("atelier-repar-tout"), "text/html"); !bytes.Contains(page, []byte("Withdrawn: Export of A no longer lists")) {
		t.Errorf("B's withdrawn organisation's page does not say which source dropped it")
	}
}

// exportRows reads in's /directory.csv as rows by title, each a map of
// column to value.
func exportRows(t *testing.T, in *testenv.Instance) map[string]map[string]string {
	t.Helper()
	var rows [][]string
	testenv.WaitFor(t, wait, in.Host+"'s export", func() bool {
		_, data := in.Get(in.Base+"/directory.csv", "text/csv")
		var err error
		rows, err = csv.NewReader(bytes.NewReader(bytes.TrimPrefix(data, []byte("\uFEFF")))).ReadAll()
		return err == nil && len(rows) > 1
	})
	out := map[string]map[string]string{}
	for _, row := range rows[1:] {
		m := map[string]string{}
		for i, k := range rows[0] {
			m[k] = row[i]
		}
		out[m["title"]] = m
	}
	return out
}
