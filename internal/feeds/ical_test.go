package feeds

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/directory"
)

// icalProp is one unfolded content line: NAME;PARAMS:VALUE.
type icalProp struct {
	Name, Params, Value string
}

// parseICal checks the physical lines (CRLF ends, at most 75 octets, no
// stray CR or LF, valid UTF-8), unfolds them (RFC 5545 section 3.1) and
// splits each into name, parameters and raw value.
func parseICal(t *testing.T, raw string) []icalProp {
	t.Helper()
	if !strings.HasSuffix(raw, "\r\n") {
		t.Fatalf("output does not end with CRLF: %q", raw[max(0, len(raw)-20):])
	}
	var logical []string
	for i, line := range strings.Split(strings.TrimSuffix(raw, "\r\n"), "\r\n") {
		if len(line) > 75 || strings.ContainsAny(line, "\r\n") || !utf8.ValidString(line) {
			t.Errorf("line %d is %d octets, has a stray CR/LF or bad UTF-8: %q", i+1, len(line), line)
		}
		if strings.HasPrefix(line, " ") || strings.HasPrefix(line, "\t") {
			if len(logical) == 0 {
				t.Fatalf("first line is a continuation: %q", line)
			}
			logical[len(logical)-1] += line[1:]
			continue
		}
		logical = append(logical, line)
	}
	props := make([]icalProp, 0, len(logical))
	for _, l := range logical {
		head, value, ok := strings.Cut(l, ":")
		if !ok {
			t.Fatalf("content line without colon: %q", l)
		}
		name, params, _ := strings.Cut(head, ";")
		props = append(props, icalProp{Name: name, Params: params, Value: value})
	}
	return props
}

// unescapeText reverses TEXT escaping and splits a list on unescaped commas.
func unescapeText(t *testing.T, s string) []string {
	t.Helper()
	var parts []string
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == ',':
			parts, b = append(parts, b.String()), strings.Builder{}
		case s[i] == ';':
			t.Errorf("unescaped semicolon in TEXT %q", s)
		case s[i] == '\\' && i+1 < len(s) && strings.IndexByte(`\;,nN`, s[i+1]) >= 0:
			i++
			if c := s[i]; c == 'n' || c == 'N' {
				b.WriteByte('\n')
			} else {
				b.WriteByte(c)
			}
		case s[i] == '\\':
			t.Errorf("bad escape in TEXT %q", s)
		default:
			b.WriteByte(s[i])
		}
	}
	return append(parts, b.String())
}

// icalEvents returns the properties of each VEVENT by name, checking that
// the calendar is one well-formed VCALENDAR.
func icalEvents(t *testing.T, props []icalProp) (cal map[string]icalProp, events []map[string]icalProp) {
	t.Helper()
	if len(props) < 2 || props[0] != (icalProp{Name: "BEGIN", Value: "VCALENDAR"}) ||
		props[len(props)-1] != (icalProp{Name: "END", Value: "VCALENDAR"}) {
		t.Fatalf("not one VCALENDAR: %+v", props)
	}
	cal = map[string]icalProp{}
	var ev map[string]icalProp
	for _, p := range props[1 : len(props)-1] {
		switch {
		case p.Name == "BEGIN" && p.Value == "VEVENT":
			ev = map[string]icalProp{}
		case p.Name == "END" && p.Value == "VEVENT":
			events, ev = append(events, ev), nil
		case ev != nil:
			if _, dup := ev[p.Name]; dup {
				t.Errorf("duplicate %s in event", p.Name)
			}
			ev[p.Name] = p
		default:
			cal[p.Name] = p
		}
	}
	for _, name := range []string{"VERSION", "PRODID"} {
		if _, ok := cal[name]; !ok {
			t.Errorf("calendar lacks %s", name)
		}
	}
	return cal, events
}

func TestICal(t *testing.T) {
	var buf bytes.Buffer
	if err := ICal(&buf, "Open calls; ESS, all", fixtureEntries(), words(t, "en")); err != nil {
		t.Fatal(err)
	}
	cal, events := icalEvents(t, parseICal(t, buf.String()))
	if got := unescapeText(t, cal["X-WR-CALNAME"].Value); len(got) != 1 || got[0] != "Open calls; ESS, all" {
		t.Errorf("calendar name = %q", got)
	}
	if len(events) != 2 {
		t.Fatalf("%d events, want 2 (calls with a deadline)", len(events))
	}
	entries := fixtureEntries()
	wantTitle := strings.ReplaceAll(entries[2].Title, "\r\n", "\n")
	tests := []struct {
		prop, params, value string
		ev                  int
	}{
		{"UID", "", "cbc39b46-e0a1-5a99-9968-509145ce63e3", 0},
		{"DTSTAMP", "", "20260220T000000Z", 0},
		{"DTSTART", "VALUE=DATE", "20260315", 0},
		{"DTEND", "VALUE=DATE", "20260316", 0},
		{"URL", "", "https://b.example/calls/1", 0},
		{"TRANSP", "", "TRANSPARENT", 0},
		// A deadline with a time of day is an all-day event too, on its
		// date in UTC (17:00 CEST is 15:00 UTC, on 1 April).
		{"DTSTART", "VALUE=DATE", "20260401", 1},
		{"DTEND", "VALUE=DATE", "20260402", 1},
		{"STATUS", "", "CANCELLED", 1},
	}
	for _, tt := range tests {
		if got := events[tt.ev][tt.prop]; got.Params != tt.params || got.Value != tt.value {
			t.Errorf("event %d %s = %+v, want %s:%s", tt.ev, tt.prop, got, tt.params, tt.value)
		}
	}
	if got := unescapeText(t, events[0]["SUMMARY"].Value); len(got) != 1 || got[0] != "Deadline: "+wantTitle {
		t.Errorf("summary = %q, want %q", got, "Deadline: "+wantTitle)
	}
	desc := unescapeText(t, events[0]["DESCRIPTION"].Value)[0]
	for _, want := range []string{"Organisation: ESS; Cape, Town", "Partner roles sought: Funder, Pilot user",
		"Deadline: 15 March 2026\n", "Seeking; partners, now\nplease"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description %q lacks %q", desc, want)
		}
	}
	if desc := unescapeText(t, events[1]["DESCRIPTION"].Value)[0]; !strings.Contains(desc, "Deadline: 1 April 2026, 15:00 UTC") {
		t.Errorf("timed deadline's description %q lacks its time", desc)
	}
	if got := unescapeText(t, events[0]["CATEGORIES"].Value); strings.Join(got, "|") != "Ethical finance & insurance|Digital, telecoms & cloud" {
		t.Errorf("categories = %q", got)
	}
}

// TestICalFrench: summary, description and categories are in the
// reader's language; an unknown slug stays as it is.
func TestICalFrench(t *testing.T) {
	var buf bytes.Buffer
	if err := ICal(&buf, "c", fixtureEntries(), words(t, "fr")); err != nil {
		t.Fatal(err)
	}
	_, events := icalEvents(t, parseICal(t, buf.String()))
	if len(events) != 2 {
		t.Fatalf("%d events, want 2", len(events))
	}
	wantTitle := strings.ReplaceAll(fixtureEntries()[2].Title, "\r\n", "\n")
	if got := unescapeText(t, events[0]["SUMMARY"].Value); len(got) != 1 || got[0] != "Date limite : "+wantTitle {
		t.Errorf("summary = %q", got)
	}
	desc := unescapeText(t, events[0]["DESCRIPTION"].Value)[0]
	for _, want := range []string{"Organisation : ESS; Cape, Town\n", "Rôles de partenaires recherchés : Financeur, Utilisateur pilote\n",
		"Date limite : 15 mars 2026\n"} {
		if !strings.Contains(desc, want) {
			t.Errorf("description %q lacks %q", desc, want)
		}
	}
	if desc := unescapeText(t, events[1]["DESCRIPTION"].Value)[0]; !strings.Contains(desc, "Date limite : 1 avril 2026, 15:00 UTC") ||
		!strings.Contains(desc, "=cmd, Fournisseur") {
		t.Errorf("description %q", desc)
	}
	if got := unescapeText(t, events[0]["CATEGORIES"].Value); strings.Join(got, "|") != "Finance solidaire et assurance|Numérique, télécoms et cloud" {
		t.Errorf("categories = %q", got)
	}
	if got := unescapeText(t, events[1]["CATEGORIES"].Value); strings.Join(got, "|") != "@sector" {
		t.Errorf("unknown sector's category = %q", got)
	}
}

func TestICalInjection(t *testing.T) {
	e := fixtureEntries()[2]
	e.Title = "x\r\nATTENDEE:mailto:a@b.example\rEND:VEVENT\nBEGIN:VEVENT\\"
	e.URL = "https://b.example/c\r\nATTENDEE:x"
	var buf bytes.Buffer
	if err := ICal(&buf, "c", []directory.Entry{e}, words(t, "en")); err != nil {
		t.Fatal(err)
	}
	_, events := icalEvents(t, parseICal(t, buf.String()))
	if len(events) != 1 {
		t.Fatalf("%d events, want 1", len(events))
	}
	if _, ok := events[0]["ATTENDEE"]; ok {
		t.Errorf("injected ATTENDEE property")
	}
	if _, ok := events[0]["URL"]; ok {
		t.Errorf("URL with CRLF kept")
	}
	want := "Deadline: x\nATTENDEE:mailto:a@b.example\nEND:VEVENT\nBEGIN:VEVENT\\"
	if got := unescapeText(t, events[0]["SUMMARY"].Value); got[0] != want {
		t.Errorf("summary = %q, want %q", got[0], want)
	}
}

func TestICalEmpty(t *testing.T) {
	for _, entries := range [][]directory.Entry{nil, fixtureEntries()[:2]} {
		var buf bytes.Buffer
		if err := ICal(&buf, "", entries, words(t, "en")); err != nil {
			t.Fatal(err)
		}
		if _, events := icalEvents(t, parseICal(t, buf.String())); len(events) != 0 {
			t.Errorf("%d events, want none", len(events))
		}
	}
}

func TestEscapeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain é 😀", "plain é 😀"},
		{`a\b;c,d`, `a\\b\;c\,d`},
		{"l1\nl2\r\nl3\rl4", `l1\nl2\nl3\nl4`},
		{"tab\tkept, bell\a and nul\x00 dropped\x7f", `tab` + "\t" + `kept\, bell and nul dropped`},
		{"bad \xff utf8", "bad \uFFFD utf8"},
		{`\n`, `\\n`},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in); got != tt.want {
			t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ name, value string }{
		{"short", "x"},
		{"exactly 75 octets", strings.Repeat("a", 75-len("SUMMARY:"))},
		{"76 octets", strings.Repeat("a", 76-len("SUMMARY:"))},
		{"ascii word", strings.Repeat("a", 200)},
		{"accents", strings.Repeat("é", 200)},
		{"emoji", strings.Repeat("😀", 200)},
		{"mixed", longWord()},
		{"invalid UTF-8", strings.Repeat("\x80", 200)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b strings.Builder
			(&contentWriter{w: &b}).prop("SUMMARY", tt.value)
			for _, line := range strings.Split(b.String(), "\r\n") {
				if len(line) > 75 {
					t.Errorf("line of %d octets: %q", len(line), line)
				}
			}
			if utf8.ValidString(tt.value) {
				if props := parseICal(t, b.String()); len(props) != 1 {
					t.Fatalf("%d logical lines, want 1", len(props))
				}
			}
			unfolded := strings.ReplaceAll(strings.TrimSuffix(b.String(), "\r\n"), "\r\n ", "")
			if want := "SUMMARY:" + tt.value; unfolded != want {
				t.Errorf("unfolded = %q, want %q", unfolded, want)
			}
		})
	}
}

func TestUUIDv5URL(t *testing.T) {
	// Values from Python's uuid.uuid5(uuid.NAMESPACE_URL, name).
	tests := []struct{ name, want string }{
		{"https://a.example/calls/1", "4bd7e13a-3584-56ac-be97-84e5423c68b6"},
		{"https://b.example/calls/1", "cbc39b46-e0a1-5a99-9968-509145ce63e3"},
		{"https://a.example/orgs/coop", "50e3f143-706a-5576-9012-63a282872ac5"},
	}
	for _, tt := range tests {
		if got := uuidV5URL(tt.name); got != tt.want {
			t.Errorf("uuidV5URL(%q) = %s, want %s", tt.name, got, tt.want)
		}
	}
}
