package feeds

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
)

func readCSV(t *testing.T, raw []byte) [][]string {
	t.Helper()
	records, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, raw)
	}
	if len(records) == 0 || strings.Join(records[0], ",") != strings.Join(csvHeader(), ",") {
		t.Fatalf("header = %q, want %q", records, csvHeader())
	}
	return records[1:]
}

func TestCSV(t *testing.T) {
	var buf bytes.Buffer
	if err := CSV(&buf, fixtureEntries(), words(t, "en")); err != nil {
		t.Fatal(err)
	}
	rows := readCSV(t, buf.Bytes())
	if len(rows) != len(fixtureEntries()) {
		t.Fatalf("%d rows, want %d", len(rows), len(fixtureEntries()))
	}
	// A CR LF inside a cell is read back as LF. The title starts with "<":
	// no guard.
	hostile := strings.ReplaceAll(fixtureEntries()[2].Title, "\r\n", "\n")
	want := [][]string{
		{"org", "Coop Énergie", "Citizen energy.", "Coop Énergie", "FR", "Paris", "48.85", "2.35", "energy", "Energy",
			"active", "", "", "", "https://coop.example", "https://a.example/@coop", "a.example"},
		{"project", "Repair café", "", "Coop Énergie", "", "", "", "", "circular-economy;culture-media",
			"Circular economy (reuse, repair, recycling); Culture, media & leisure", "active", "", "", "",
			"", "https://a.example/projects/p1", "a.example"},
		{"call", hostile, "Seeking; partners, now\nplease", "ESS; Cape, Town", "ZA", "Cape Town", "-33.9", "18.4",
			"finance;digital", "Ethical finance & insurance; Digital, telecoms & cloud", "open",
			"2026-03-15", "funder;pilot-user", "Funder; Pilot user", "", "https://b.example/calls/1", "b.example:8443"},
		{"call", `'=HYPERLINK("http://evil.example") write to [e-mail removed]`, "Contact [e-mail removed]. Or [e-mail removed]",
			"'-ESS+ <[e-mail removed]>", "BE", "'+Liège", "50.63", "-5.57", "'@sector", "'@sector", "cancelled",
			"2026-04-01", "'=cmd;supplier", "'=cmd; Supplier", "", "https://b.example/calls/2", "b.example"},
		{"call", "Open-ended call", "", "ESS", "", "", "", "", "", "", "open", "", "", "", "", "https://b.example/calls/3", ""},
	}
	for i := range want {
		want[i] = append(want[i], "", "", "", "") // no provenance: see TestCSVProvenance
		for j, col := range csvHeader() {
			if rows[i][j] != want[i][j] {
				t.Errorf("row %d %s = %q, want %q", i, col, rows[i][j], want[i][j])
			}
		}
	}
	if !bytes.HasSuffix(buf.Bytes(), []byte("\r\n")) {
		t.Errorf("records do not end with CRLF")
	}
	if m := emailPattern().FindAllString(buf.String(), -1); m != nil {
		t.Errorf("e-mail addresses in output: %q", m)
	}
}

// TestCSVFrench: the label columns are in the reader's language, the slug
// columns stay as they are for machines.
func TestCSVFrench(t *testing.T) {
	var buf bytes.Buffer
	if err := CSV(&buf, fixtureEntries()[2:3], words(t, "fr")); err != nil {
		t.Fatal(err)
	}
	row := readCSV(t, buf.Bytes())[0]
	col := func(name string) string { return row[slices.Index(csvHeader(), name)] }
	for name, want := range map[string]string{
		"sectors": "finance;digital", "sector_labels": "Finance solidaire et assurance; Numérique, télécoms et cloud",
		"partner_roles": "funder;pilot-user", "partner_role_labels": "Financeur; Utilisateur pilote",
		"summary": "Seeking; partners, now\nplease",
	} {
		if got := col(name); got != want {
			t.Errorf("%s = %q, want %q", name, got, want)
		}
	}
}

func TestCSVEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := CSV(&buf, nil, words(t, "en")); err != nil {
		t.Fatal(err)
	}
	if rows := readCSV(t, buf.Bytes()); len(rows) != 0 {
		t.Errorf("%d rows, want none", len(rows))
	}
}

func TestGuardCell(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{"=1+1", "'=1+1"},
		{"+33 1 23", "'+33 1 23"},
		{"-2", "'-2"},
		{"@SUM(A1)", "'@SUM(A1)"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
		{" =x", " =x"},
		{"'quoted", "'quoted"},
	}
	for _, tt := range tests {
		if got := guardCell(tt.in); got != tt.want {
			t.Errorf("guardCell(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestCSVProvenance(t *testing.T) {
	e := fixtureEntries()[0]
	e.Provenance = &model.Provenance{Source: "Transiscope", SourceURL: "https://transiscope.example/fiche/12",
		SourceID: "12", Licence: "ODbL-1.0", Imported: time.Now()}
	var buf bytes.Buffer
	if err := CSV(&buf, []directory.Entry{e}, words(t, "en")); err != nil {
		t.Fatal(err)
	}
	row := readCSV(t, buf.Bytes())[0]
	if got := row[len(row)-4:]; !slices.Equal(got, []string{"Transiscope", "https://transiscope.example/fiche/12", "12", "ODbL-1.0"}) {
		t.Errorf("provenance columns = %q", got)
	}
	buf.Reset()
	if err := GeoJSON(&buf, []directory.Entry{e}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"listed_by":"Transiscope"`, `"listed_by_url":"https://transiscope.example/fiche/12"`,
		`"listed_by_id":"12"`, `"licence":"ODbL-1.0"`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("GeoJSON lacks %s:\n%s", want, buf.String())
		}
	}
}
