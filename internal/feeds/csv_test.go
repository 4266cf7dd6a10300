package feeds

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
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
	if err := CSV(&buf, fixtureEntries()); err != nil {
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
		{"org", "Coop Énergie", "Coop Énergie", "FR", "Paris", "48.85", "2.35", "energy", "active", "", "",
			"https://coop.example", "https://a.example/@coop", "a.example"},
		{"project", "Repair café", "Coop Énergie", "", "", "", "", "circular-economy;culture-media", "active", "", "",
			"", "https://a.example/projects/p1", "a.example"},
		{"call", hostile, "ESS; Cape, Town", "ZA", "Cape Town", "-33.9", "18.4", "finance;digital", "open",
			"2026-03-15", "funder;pilot-user", "", "https://b.example/calls/1", "b.example:8443"},
		{"call", `'=HYPERLINK("http://evil.example") write to [e-mail removed]`, "'-ESS+ <[e-mail removed]>",
			"BE", "'+Liège", "50.63", "-5.57", "'@sector", "cancelled", "2026-04-01", "'=cmd;supplier",
			"", "https://b.example/calls/2", "b.example"},
		{"call", "Open-ended call", "ESS", "", "", "", "", "", "open", "", "", "", "https://b.example/calls/3", ""},
	}
	for i := range want {
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

func TestCSVEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := CSV(&buf, nil); err != nil {
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
