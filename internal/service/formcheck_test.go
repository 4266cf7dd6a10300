package service

import (
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

func TestCallRules(t *testing.T) {
	now := time.Date(2027, 5, 3, 15, 0, 0, 0, time.UTC)
	day := func(s string) *time.Time { d, _ := time.Parse("2006-01-02", s); return &d }
	old := &model.Object{Kind: model.KindCall, Deadline: day("2027-01-10")}
	for _, c := range []struct {
		what      string
		in        ObjectInput
		old       *model.Object
		confirmed bool
		want      string // the fields refused, in order
	}{
		{"no role", ObjectInput{Kind: model.KindCall}, nil, false, "partner_roles"},
		{"a project needs none", ObjectInput{Kind: model.KindProject, Deadline: Time(*day("2020-01-01"))}, nil, false, ""},
		{"deadline today", ObjectInput{Kind: model.KindCall, PartnerRoles: []string{"funder"}, Deadline: Time(*day("2027-05-03"))}, nil, false, ""},
		{"deadline yesterday", ObjectInput{Kind: model.KindCall, PartnerRoles: []string{"funder"}, Deadline: Time(*day("2027-05-02"))}, nil, false, "deadline"},
		{"confirmed", ObjectInput{Kind: model.KindCall, PartnerRoles: []string{"funder"}, Deadline: Time(*day("2027-05-02"))}, nil, true, ""},
		{"edit keeps its past deadline", ObjectInput{Kind: model.KindCall, PartnerRoles: []string{"funder"}, Deadline: Time(day("2027-01-10").Add(17 * time.Hour))}, old, false, ""},
		{"edit moves it, still past", ObjectInput{Kind: model.KindCall, PartnerRoles: []string{"funder"}, Deadline: Time(*day("2027-01-11"))}, old, false, "deadline"},
		{"both", ObjectInput{Kind: model.KindCall, Deadline: Time(*day("2026-01-01"))}, nil, false, "deadline partner_roles"},
	} {
		got := CallRules(c.in, c.old, now, c.confirmed)
		var fields []string
		for _, f := range []string{"deadline", "partner_roles"} {
			if _, ok := got[f]; ok {
				fields = append(fields, f)
			}
		}
		if s := strings.Join(fields, " "); s != c.want || len(got) != len(fields) {
			t.Errorf("%s: refused %v, want %q", c.what, got, c.want)
		}
	}
}
