package model

import (
	"errors"
	"math"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

// fieldsOf returns the sorted field names of a *ValidationError, nil for a
// nil error, and fails the test for any other error.
func fieldsOf(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error %T %v is not a *ValidationError", err, err)
	}
	keys := make([]string, 0, len(ve.Fields))
	for k := range ve.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func fp(v float64) *float64 { return &v }

func tp(t time.Time) *time.Time { return &t }

func TestValidName(t *testing.T) {
	tests := []struct {
		name string
		ok   bool
	}{
		{"acme", true},
		{"a", true},
		{"coop_42", true},
		{"la.coop-du.coin", true},
		{"a..b", true},
		{strings.Repeat("a", 30), true},
		{strings.Repeat("a", 31), false},
		{"", false},
		{"Acme", false},
		{"acme!", false},
		{"-acme", false},
		{"acme-", false},
		{".acme", false},
		{"ac me", false},
		{"acmé", false},
		{"acme/inbox", false},
		{InstanceName, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := ValidName(tt.name)
			if (err == nil) != tt.ok {
				t.Errorf("ValidName(%q) = %v, want ok %t", tt.name, err, tt.ok)
			}
			if err != nil && !slices.Equal(fieldsOf(t, err), []string{"name"}) {
				t.Errorf("ValidName(%q) fields = %q, want [name]", tt.name, fieldsOf(t, err))
			}
		})
	}
	var ve *ValidationError
	if errors.As(ValidName(InstanceName), &ve) && !strings.Contains(ve.Fields["name"].Key, "reserved") {
		t.Errorf("ValidName(instance) message = %q, want it to say reserved", ve.Fields["name"])
	}
}

func TestOrgValidate(t *testing.T) {
	valid := func() Org {
		return Org{Name: "acme", Profile: Profile{DisplayName: "Acme", Summary: "We build things.", Website: "https://acme.example",
			Country: "FR", Sectors: []string{"energy", "digital"}, LegalForm: "fr-scic", LegalFormText: "SCIC SA"}}
	}
	tests := []struct {
		name   string
		change func(o *Org)
		want   []string
	}{
		{"valid", func(o *Org) {}, nil},
		{"minimal", func(o *Org) { *o = Org{Name: "x", Profile: Profile{DisplayName: "X"}} }, nil},
		{"bad name", func(o *Org) { o.Name = "Bad Name" }, []string{"name"}},
		{"reserved name", func(o *Org) { o.Name = InstanceName }, []string{"name"}},
		{"instance actor skips the name rule", func(o *Org) { o.Name, o.Instance = InstanceName, true }, nil},
		{"display name required", func(o *Org) { o.DisplayName = "  " }, []string{"display_name"}},
		{"display name max", func(o *Org) { o.DisplayName = strings.Repeat("é", MaxName) }, nil},
		{"display name too long", func(o *Org) { o.DisplayName = strings.Repeat("é", MaxName+1) }, []string{"display_name"}},
		{"display name invalid utf-8", func(o *Org) { o.DisplayName = "Acme\xff" }, []string{"display_name"}},
		{"summary too long", func(o *Org) { o.Summary = strings.Repeat("s", MaxSummary+1) }, []string{"summary"}},
		{"country lower case", func(o *Org) { o.Country = "fr" }, []string{"country"}},
		{"country three letters", func(o *Org) { o.Country = "FRA" }, []string{"country"}},
		{"no sectors is fine", func(o *Org) { o.Sectors = nil }, nil},
		{"four sectors", func(o *Org) { o.Sectors = []string{"energy", "digital", "finance", "housing"} }, []string{"sectors"}},
		{"unknown sector", func(o *Org) { o.Sectors = []string{"energy", "space"} }, []string{"sectors"}},
		{"website not http", func(o *Org) { o.Website = "ftp://acme.example" }, []string{"website"}},
		{"website javascript", func(o *Org) { o.Website = "javascript:alert(1)" }, []string{"website"}},
		{"website with space", func(o *Org) { o.Website = "https://acme.example/a b" }, []string{"website"}},
		{"website with quote", func(o *Org) { o.Website = `https://acme.example/"onclick` }, []string{"website"}},
		{"website too long", func(o *Org) { o.Website = "https://acme.example/" + strings.Repeat("a", 2000) }, []string{"website"}},
		{"legal form too long", func(o *Org) { o.LegalForm = strings.Repeat("l", MaxName+1) }, []string{"legal_form"}},
		{"several problems", func(o *Org) { o.DisplayName, o.Country, o.Website = "", "xx", "nope" },
			[]string{"country", "display_name", "website"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := valid()
			tt.change(&o)
			if got := fieldsOf(t, o.Validate()); !slices.Equal(got, tt.want) {
				t.Errorf("Validate fields = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestOrgValidateReportsNameWithOtherProblems(t *testing.T) {
	o := Org{Name: "Bad Name", Profile: Profile{DisplayName: "", Country: "xx"}}
	want := []string{"country", "display_name", "name"}
	if got := fieldsOf(t, o.Validate()); !slices.Equal(got, want) {
		t.Errorf("Validate fields = %q, want %q", got, want)
	}
}

func TestObjectValidate(t *testing.T) {
	project := func() Object {
		return Object{Kind: KindProject, Local: true, Title: "Solar roofs", Sectors: []string{"energy"}, Status: "active"}
	}
	call := func() Object {
		return Object{Kind: KindCall, Local: true, Title: "Looking for funders", Sectors: []string{"finance"},
			Status: "open", Deadline: tp(time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)), PartnerRoles: []string{"funder", "lender"}}
	}
	start := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name   string
		base   func() Object
		change func(o *Object)
		want   []string
	}{
		{"valid project", project, func(o *Object) {}, nil},
		{"valid call", call, func(o *Object) {}, nil},
		{"empty status is allowed", project, func(o *Object) { o.Status = "" }, nil},

		// kind
		{"no kind", project, func(o *Object) { o.Kind = "" }, []string{"kind"}},
		{"unknown kind", project, func(o *Object) { o.Kind = "event" }, []string{"kind"}},
		{"local note", project, func(o *Object) { o.Kind = KindNote }, []string{"kind"}},
		{"remote note without title or sectors", project,
			func(o *Object) { o.Kind, o.Local, o.Title, o.Sectors, o.Status = KindNote, false, "", nil, "" }, nil},
		{"local note without title or sectors", project,
			func(o *Object) { o.Kind, o.Title, o.Sectors = KindNote, "", nil }, []string{"kind", "sectors", "title"}},
		{"remote note with an unknown sector", project,
			func(o *Object) { o.Kind, o.Local, o.Sectors = KindNote, false, []string{"space"} }, []string{"sectors"}},
		{"remote project still needs a title", project, func(o *Object) { o.Local, o.Title = false, "" }, []string{"title"}},

		// text fields
		{"title required", project, func(o *Object) { o.Title = "" }, []string{"title"}},
		{"title blank", project, func(o *Object) { o.Title = " \t\n" }, []string{"title"}},
		{"title at max", project, func(o *Object) { o.Title = strings.Repeat("é", MaxTitle) }, nil},
		{"title too long", project, func(o *Object) { o.Title = strings.Repeat("é", MaxTitle+1) }, []string{"title"}},
		{"title invalid utf-8", project, func(o *Object) { o.Title = "ok\xc3" }, []string{"title"}},
		{"summary too long", project, func(o *Object) { o.Summary = strings.Repeat("s", MaxSummary+1) }, []string{"summary"}},
		{"text at max", project, func(o *Object) { o.Text = strings.Repeat("é", MaxText) }, nil},
		{"text too long", project, func(o *Object) { o.Text = strings.Repeat("t", MaxText+1) }, []string{"text"}},
		{"content too long", project, func(o *Object) { o.Content = strings.Repeat("c", 4*MaxText+1) }, []string{"content"}},

		// sectors
		{"no sectors", project, func(o *Object) { o.Sectors = nil }, []string{"sectors"}},
		{"three sectors", project, func(o *Object) { o.Sectors = []string{"energy", "digital", "finance"} }, nil},
		{"four sectors", project, func(o *Object) { o.Sectors = []string{"energy", "digital", "finance", "housing"} }, []string{"sectors"}},
		{"unknown sector", project, func(o *Object) { o.Sectors = []string{"energy", "Energy"} }, []string{"sectors"}},

		// location
		{"valid location", project, func(o *Object) {
			o.Location = &Place{Name: "Lyon", Country: "FR", Latitude: fp(45.76), Longitude: fp(4.83)}
		}, nil},
		{"location at the limits", project, func(o *Object) {
			o.Location = &Place{Latitude: fp(-90), Longitude: fp(180)}
		}, nil},
		{"location name too long", project, func(o *Object) {
			o.Location = &Place{Name: strings.Repeat("n", MaxName+1)}
		}, []string{"location"}},
		{"location country lower case", project, func(o *Object) { o.Location = &Place{Country: "fr"} }, []string{"location"}},
		{"location country digits", project, func(o *Object) { o.Location = &Place{Country: "F1"} }, []string{"location"}},
		{"latitude only", project, func(o *Object) { o.Location = &Place{Latitude: fp(45)} }, []string{"location"}},
		{"longitude only", project, func(o *Object) { o.Location = &Place{Longitude: fp(4)} }, []string{"location"}},
		{"latitude above 90", project, func(o *Object) { o.Location = &Place{Latitude: fp(90.5), Longitude: fp(0)} }, []string{"location"}},
		{"latitude below -90", project, func(o *Object) { o.Location = &Place{Latitude: fp(-91), Longitude: fp(0)} }, []string{"location"}},
		{"longitude above 180", project, func(o *Object) { o.Location = &Place{Latitude: fp(0), Longitude: fp(181)} }, []string{"location"}},
		{"longitude below -180", project, func(o *Object) { o.Location = &Place{Latitude: fp(0), Longitude: fp(-180.1)} }, []string{"location"}},
		{"latitude NaN", project, func(o *Object) { o.Location = &Place{Latitude: fp(math.NaN()), Longitude: fp(0)} }, []string{"location"}},
		{"longitude NaN", project, func(o *Object) { o.Location = &Place{Latitude: fp(0), Longitude: fp(math.NaN())} }, []string{"location"}},
		{"latitude infinite", project, func(o *Object) { o.Location = &Place{Latitude: fp(math.Inf(1)), Longitude: fp(0)} }, []string{"location"}},

		// dates
		{"end before start", project, func(o *Object) { o.StartTime, o.EndTime = tp(start), tp(start.Add(-time.Hour)) }, []string{"end_time"}},
		{"end equals start", project, func(o *Object) { o.StartTime, o.EndTime = tp(start), tp(start) }, nil},
		{"end after start", project, func(o *Object) { o.StartTime, o.EndTime = tp(start), tp(start.Add(time.Hour)) }, nil},
		{"end without start", project, func(o *Object) { o.EndTime = tp(start) }, nil},

		// status per kind
		{"project status idea", project, func(o *Object) { o.Status = "idea" }, nil},
		{"project with a call status", project, func(o *Object) { o.Status = "open" }, []string{"status"}},
		{"project with an unknown status", project, func(o *Object) { o.Status = "Active" }, []string{"status"}},
		{"call status filled", call, func(o *Object) { o.Status = "filled" }, nil},
		{"call with a project status", call, func(o *Object) { o.Status = "active" }, []string{"status"}},

		// call-only fields
		{"project with a deadline", project, func(o *Object) { o.Deadline = tp(start) }, []string{"kind"}},
		{"project with partner roles", project, func(o *Object) { o.PartnerRoles = []string{"funder"} }, []string{"kind"}},
		{"call without deadline or roles", call, func(o *Object) { o.Deadline, o.PartnerRoles = nil, nil }, nil},
		{"call with an unknown role", call, func(o *Object) { o.PartnerRoles = []string{"funder", "king"} }, []string{"partner_roles"}},
		{"call with every role", call, func(o *Object) { o.PartnerRoles = slices.Clone(PartnerRoles) }, nil},
		{"call with too many roles", call, func(o *Object) {
			o.PartnerRoles = append(slices.Clone(PartnerRoles), "funder")
		}, []string{"partner_roles"}},

		{"several problems", call, func(o *Object) { o.Title, o.Sectors, o.Status = "", nil, "idea" },
			[]string{"sectors", "status", "title"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.base()
			tt.change(&o)
			if got := fieldsOf(t, o.Validate()); !slices.Equal(got, tt.want) {
				t.Errorf("Validate fields = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestValidationErrorMessage(t *testing.T) {
	err := &ValidationError{Fields: FieldErrors{"title": Problem("validation.required"), "kind": Problem("validation.max_chars", 200)}}
	if got, want := err.Error(), "invalid input: kind: validation.max_chars [200]; title: validation.required"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestExpired(t *testing.T) {
	deadline := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		o    Object
		now  time.Time
		want bool
	}{
		{"call before deadline", Object{Kind: KindCall, Deadline: &deadline}, deadline.Add(-time.Second), false},
		{"call at deadline", Object{Kind: KindCall, Deadline: &deadline}, deadline, false},
		{"call after deadline", Object{Kind: KindCall, Deadline: &deadline}, deadline.Add(time.Nanosecond), true},
		{"call without deadline", Object{Kind: KindCall}, deadline.Add(time.Hour), false},
		{"project with a deadline", Object{Kind: KindProject, Deadline: &deadline}, deadline.Add(time.Hour), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.o.Expired(tt.now); got != tt.want {
				t.Errorf("Expired(%s) = %t, want %t", tt.now, got, tt.want)
			}
		})
	}
}

func TestProfileClear(t *testing.T) {
	p := Profile{DisplayName: "Coop", Website: "ftp://x", Location: &Place{Name: "Lyon"}, Sectors: []string{"x"}}
	for _, f := range []string{"website", "location", "sectors"} {
		if !p.Clear(f) {
			t.Errorf("Clear(%q) = false, want a field", f)
		}
	}
	if p.Clear("no_such_field") {
		t.Error("Clear(no_such_field) = true")
	}
	if p.Website != "" || p.Location != nil || p.Sectors != nil || p.DisplayName != "Coop" {
		t.Errorf("after Clear: %+v", p)
	}
	// Every id Org.Validate reports for a profile names a field of Profile.
	o := Org{Instance: true, Profile: Profile{DisplayName: "", Summary: strings.Repeat("x", MaxSummary+1), Website: "x",
		LegalForm: "x", Status: "x", Country: "x", Location: &Place{Country: "x"}, Sectors: []string{"x"}, Languages: []string{"?"},
		FoundingYear: 1, Networks: []string{""}, ContactEmail: "x", ContactURL: "x", IconURL: "x", LegalName: strings.Repeat("x", MaxName+1),
		LegalFormText: strings.Repeat("x", MaxName+1)}}
	var ve *ValidationError
	if !errors.As(o.Validate(), &ve) {
		t.Fatal("invalid profile validates")
	}
	for f := range ve.Fields {
		if q := o.Profile; !q.Clear(f) {
			t.Errorf("Validate reports %q, which is no Profile field", f)
		}
	}
}

func TestObjectImageValidation(t *testing.T) {
	name := func(c string) string { return strings.Repeat(c, 64) + ".jpg" }
	for _, tc := range []struct {
		label string
		local bool
		im    *Image
		want  []string
	}{
		{"local image", true, &Image{File: name("a"), Thumb: name("b"), Alt: "A field"}, nil},
		{"no alt text", true, &Image{File: name("a"), Thumb: name("b")}, []string{"image_alt"}},
		{"alt too long", true, &Image{File: name("a"), Thumb: name("b"), Alt: strings.Repeat("x", MaxAlt+1)}, []string{"image_alt"}},
		{"path in a file name", true, &Image{File: "../maillage.db", Thumb: name("b"), Alt: "x"}, []string{"image"}},
		{"remote URL on a local object", true, &Image{URL: "https://elsewhere.example/a.png", Alt: "x"}, []string{"image"}},
		{"remote image", false, &Image{URL: "https://elsewhere.example/a.png"}, nil},
		{"remote javascript URL", false, &Image{URL: "javascript:alert(1)"}, []string{"image"}},
	} {
		o := Object{Kind: KindProject, Title: "T", Sectors: []string{"energy"}, Local: tc.local, Image: tc.im}
		err := o.Validate()
		var got []string
		if ve, ok := err.(*ValidationError); ok {
			for f := range ve.Fields {
				got = append(got, f)
			}
		}
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s: fields %v, want %v", tc.label, got, tc.want)
		}
	}
}
