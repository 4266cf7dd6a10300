package service

import (
	"errors"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// The checks below let a form report every problem at once: a form that
// finds a problem of its own (a date that is not a date) still shows what
// the service would refuse in the other fields, without writing anything.

// CheckObject returns every problem of in as a new object (old nil) or as
// the new state of old: the validation Publish and Edit do, and the rules
// of a call published by hand (CallRules).
func (s *Service) CheckObject(in ObjectInput, old *model.Object, pastDeadlineConfirmed bool) model.FieldErrors {
	o := model.Object{Local: true}
	if old != nil {
		o = *old
	}
	in.apply(&o)
	out := model.FieldErrors{}
	var ve *model.ValidationError
	if err := o.Validate(); errors.As(err, &ve) {
		for k, v := range ve.Fields {
			out[k] = v
		}
	}
	for k, v := range CallRules(in, old, s.Now(), pastDeadlineConfirmed) {
		if _, ok := out[k]; !ok {
			out[k] = v
		}
	}
	return out
}

// CallRules are what the administration's form asks of a call beyond its
// validation: at least one partner role sought (a call without one
// matches no one's interests), and a deadline that has not passed, unless
// the person confirms it (publishing a past call for the record). A
// deadline an edit leaves as it was is not checked again, so an expired
// call can still be corrected. The API and imports do not apply them:
// programs copy calls as they were.
func CallRules(in ObjectInput, old *model.Object, now time.Time, pastDeadlineConfirmed bool) model.FieldErrors {
	out := model.FieldErrors{}
	if in.Kind != model.KindCall {
		return out
	}
	if len(in.PartnerRoles) == 0 {
		out["partner_roles"] = model.Problem("validation.roles.required")
	}
	if d := in.Deadline; d != nil && !pastDeadlineConfirmed {
		unchanged := old != nil && old.Deadline != nil && sameDay(*old.Deadline, d.Time)
		if !unchanged && day(d.Time).Before(day(now)) {
			out["deadline"] = model.Problem("validation.deadline.past")
		}
	}
	return out
}

// CheckProfile returns every problem of in as the new profile of org.
func CheckProfile(org model.Org, in ProfileInput) model.FieldErrors {
	org.Profile, org.ManualApprove = normalProfile(in.Profile), in.ManualApprove
	out := model.FieldErrors{}
	var ve *model.ValidationError
	if err := org.Validate(); errors.As(err, &ve) {
		out = ve.Fields
	}
	return out
}

func day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func sameDay(a, b time.Time) bool { return day(a).Equal(day(b)) }
