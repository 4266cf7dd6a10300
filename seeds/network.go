package seeds

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

//go:embed network.json
var networkJSON []byte

// SeedOrg is a real organisation of the demo network: its local name, its
// profile (only sourced facts) and the invented example projects and calls
// published in its name.
type SeedOrg struct {
	Name    string
	Profile model.Profile
	Objects []service.ObjectInput
}

// seedOrg is a SeedOrg as written in network.json.
type seedOrg struct {
	Name    string        `json:"name"`
	Profile model.Profile `json:"profile"`
	Objects []seedObject  `json:"objects"`
}

// seedObject is an ObjectInput whose dates are days from the time the
// network is loaded, so that calls stay open whenever the demo runs.
type seedObject struct {
	service.ObjectInput
	StartInDays    *int `json:"start_in_days"`
	EndInDays      *int `json:"end_in_days"`
	DeadlineInDays *int `json:"deadline_in_days"`
}

// The notices end the text of every seeded project and call, which appear
// under the names of real organisations.
const (
	noticeEN = "This is an invented example written for the maillage demo. It is not a real project or call of %s."
	noticeFR = "Exemple inventé pour la démonstration de maillage : ce n'est ni un vrai projet ni un vrai appel de %s."
)

// Network returns the organisations of the demo network in file order.
// Relative dates become dates from now: start and end at midnight UTC, a
// call's deadline at 23:59 UTC on its day. Each object's text ends with a
// notice saying that it is an invented example.
func Network(now time.Time) ([]SeedOrg, error) {
	var raw []seedOrg
	dec := json.NewDecoder(bytes.NewReader(networkJSON))
	dec.DisallowUnknownFields() // a misspelt field would silently vanish
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("seeds: network.json: %w", err)
	}
	out := make([]SeedOrg, len(raw))
	for i, r := range raw {
		o := SeedOrg{Name: r.Name, Profile: r.Profile}
		for _, so := range r.Objects {
			o.Objects = append(o.Objects, so.input(now, r.Profile.DisplayName))
		}
		out[i] = o
	}
	return out, nil
}

// NetworkOrg returns one organisation of the demo network; it panics on an
// unknown name, which is a mistake in a test.
func NetworkOrg(now time.Time, name string) SeedOrg {
	orgs, err := Network(now)
	if err != nil {
		panic(err)
	}
	for _, o := range orgs {
		if o.Name == name {
			return o
		}
	}
	panic("seeds: no organisation " + name)
}

func (so seedObject) input(now time.Time, orgName string) service.ObjectInput {
	in := so.ObjectInput
	day := func(n int) time.Time {
		y, m, d := now.UTC().AddDate(0, 0, n).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	if so.StartInDays != nil {
		in.StartTime = service.Time(day(*so.StartInDays))
	}
	if so.EndInDays != nil {
		in.EndTime = service.Time(day(*so.EndInDays))
	}
	if so.DeadlineInDays != nil {
		in.Deadline = service.Time(day(*so.DeadlineInDays).Add(23*time.Hour + 59*time.Minute))
	}
	in.Text = appendParagraph(in.Text, fmt.Sprintf(noticeEN, orgName))
	if len(in.Translations) > 0 {
		tr := make(map[string]model.Translation, len(in.Translations))
		for lang, t := range in.Translations {
			if lang == "fr" && t.Text != "" {
				t.Text = appendParagraph(t.Text, fmt.Sprintf(noticeFR, orgName))
			}
			tr[lang] = t
		}
		in.Translations = tr
	}
	return in
}

func appendParagraph(text, p string) string {
	if text == "" {
		return p
	}
	return text + "\n\n" + p
}
