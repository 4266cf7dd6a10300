package service

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// ObjectInput is what an organisation edits on a project or a call.
type ObjectInput struct {
	Kind         model.Kind   `json:"kind"`
	Title        string       `json:"title"`
	Summary      string       `json:"summary"`
	Text         string       `json:"text"`
	Sectors      []string     `json:"sectors"`
	Location     *model.Place `json:"location"`
	Status       string       `json:"status"`
	StartTime    *TimeValue   `json:"start_time"`
	EndTime      *TimeValue   `json:"end_time"`
	Deadline     *TimeValue   `json:"deadline"`
	PartnerRoles []string     `json:"partner_roles"`

	Lang              string                       `json:"lang"`
	Translations      map[string]model.Translation `json:"translations"`
	Partners          []model.Partner              `json:"partners"`
	FundingSought     *model.Money                 `json:"funding_sought"`
	EligibleCountries []string                     `json:"eligible_countries"`
	RelatedProject    string                       `json:"related_project"`
	FundingProgramme  string                       `json:"funding_programme"`
	FundingCallID     string                       `json:"funding_call_id"`
	HowToRespond      string                       `json:"how_to_respond"`
	// Image names files already stored (internal/media); the web form
	// uploads them first.
	Image *model.Image `json:"image"`
}

// InputOf is o's every editable field, the inverse of apply: to edit one
// field (closing a call) or show an object in a form.
func InputOf(o model.Object) ObjectInput {
	in := ObjectInput{Kind: o.Kind, Title: o.Title, Summary: o.Summary, Text: o.Text, Sectors: o.Sectors,
		Location: o.Location, Status: o.Status, PartnerRoles: o.PartnerRoles, Lang: o.Lang, Translations: o.Translations,
		Partners: o.Partners, FundingSought: o.FundingSought, EligibleCountries: o.EligibleCountries,
		RelatedProject: o.RelatedProject, FundingProgramme: o.FundingProgramme, FundingCallID: o.FundingCallID,
		HowToRespond: o.HowToRespond, StartTime: timeOf(o.StartTime), EndTime: timeOf(o.EndTime), Deadline: timeOf(o.Deadline),
		Image: o.Image}
	return in
}

func timeOf(t *time.Time) *TimeValue {
	if t == nil {
		return nil
	}
	return Time(*t)
}

func (in ObjectInput) apply(o *model.Object) {
	o.Kind = in.Kind
	o.Title = strings.TrimSpace(in.Title)
	o.Summary = strings.TrimSpace(in.Summary)
	o.Text = strings.TrimSpace(in.Text)
	o.Sectors = in.Sectors
	o.Location = nil
	if in.Location != nil {
		loc := *in.Location // a copy: the caller's input is not changed
		loc.Country = strings.ToUpper(loc.Country)
		o.Location = &loc
	}
	o.Status = in.Status
	o.StartTime = in.StartTime.ptr()
	o.EndTime = in.EndTime.ptr()
	o.Deadline = in.Deadline.ptr()
	o.PartnerRoles = in.PartnerRoles
	o.Lang, o.Translations, o.Partners, o.FundingSought = in.Lang, in.Translations, in.Partners, in.FundingSought
	o.EligibleCountries = make([]string, len(in.EligibleCountries))
	for i, c := range in.EligibleCountries {
		o.EligibleCountries[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	if len(o.EligibleCountries) == 0 {
		o.EligibleCountries = nil
	}
	o.RelatedProject = strings.TrimSpace(in.RelatedProject)
	o.FundingProgramme, o.FundingCallID = strings.TrimSpace(in.FundingProgramme), strings.TrimSpace(in.FundingCallID)
	o.HowToRespond = strings.TrimSpace(in.HowToRespond)
	o.Image = nil
	if in.Image != nil {
		im := *in.Image
		im.Alt = strings.TrimSpace(im.Alt)
		o.Image = &im
	}
	if o.Status == "" {
		if o.Kind == model.KindCall {
			o.Status = "open"
		} else {
			o.Status = "active"
		}
	}
}

// Publish creates a project or call for org and federates its Create.
func (s *Service) Publish(ctx context.Context, p Principal, org string, in ObjectInput) (model.Object, error) {
	if err := authorize(p, ActPublish, org); err != nil {
		return model.Object{}, fmt.Errorf("publish for %s: %w", org, err)
	}
	now := s.Now().UTC().Truncate(time.Second) // ActivityStreams dates carry seconds
	o := model.Object{Local: true, Published: now, Updated: now}
	in.apply(&o)
	if err := o.Validate(); err != nil {
		return o, err
	}
	o.ID = s.uris.Object(org, o.Kind, uris.NewID(s.Now())) // full precision keeps ids time-ordered
	o.URL = o.ID
	o.AttributedTo = s.uris.Actor(org)
	err := s.store.Update(func(tx *store.Tx) error {
		owner, err := s.localOrg(tx, org)
		if err != nil {
			return err
		}
		defaultLang(&o, owner)
		if err := tx.PutObject(o); err != nil {
			return err
		}
		if err := s.broadcast(tx, s.objectActivity("Create", org, o)); err != nil {
			return err
		}
		return s.matchCalls(tx, o.ID)
	})
	if err != nil {
		return o, fmt.Errorf("publish %s for %s: %w", o.Kind, org, err)
	}
	s.poke()
	s.changed(o.ID)
	s.log.Info("object published", "object", o.ID)
	return o, nil
}

// Edit replaces the editable fields of org's object id and federates an
// Update with a newer `updated` (Mastodon applies edits only then).
func (s *Service) Edit(ctx context.Context, p Principal, org, id string, in ObjectInput) (model.Object, error) {
	return s.Patch(ctx, p, org, id, func(cur *ObjectInput) error {
		*cur = in
		return nil
	})
}

// Patch is Edit of only what patch changes: it is given the object's
// current input (InputOf) inside the write transaction, so a concurrent
// edit of other fields is never lost. patch must not block.
func (s *Service) Patch(ctx context.Context, p Principal, org, id string, patch func(*ObjectInput) error) (model.Object, error) {
	if err := authorize(p, ActPublish, org); err != nil {
		return model.Object{}, fmt.Errorf("edit %s: %w", id, err)
	}
	var o model.Object
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if o, err = s.ownObject(tx, org, id); err != nil {
			return err
		}
		kind, prev := o.Kind, o.Updated
		in := InputOf(o)
		if err := patch(&in); err != nil {
			return err
		}
		in.apply(&o)
		if owner, err := s.localOrg(tx, org); err == nil {
			defaultLang(&o, owner)
		}
		if o.Kind != kind {
			return model.Invalid("kind", "validation.kind.fixed")
		}
		if err := o.Validate(); err != nil {
			return err
		}
		// Peers apply an edit only if `updated` moved forward (Mastodon's
		// process_status_update_service.rb), and dates carry seconds.
		o.Updated = s.Now().UTC().Truncate(time.Second)
		if !o.Updated.After(prev) {
			o.Updated = prev.Add(time.Second)
		}
		if err := tx.PutObject(o); err != nil {
			return err
		}
		if err := s.broadcast(tx, s.objectActivity("Update", org, o)); err != nil {
			return err
		}
		return s.matchCalls(tx, o.ID)
	})
	if err != nil {
		return o, fmt.Errorf("edit %s: %w", id, err)
	}
	s.poke()
	s.changed(o.ID)
	return o, nil
}

// Delete turns org's object into a tombstone (served as 410) and federates
// a Delete.
func (s *Service) Delete(ctx context.Context, p Principal, org, id string) error {
	if err := authorize(p, ActPublish, org); err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	err := s.store.Update(func(tx *store.Tx) error {
		o, err := s.ownObject(tx, org, id)
		if err != nil {
			return err
		}
		o.Deleted = s.Now().UTC().Truncate(time.Second)
		if err := tx.PutObject(o); err != nil {
			return err
		}
		a := s.objectActivity("Delete", org, o)
		a.Object = nil
		return s.broadcast(tx, a)
	})
	if err != nil {
		return fmt.Errorf("delete %s: %w", id, err)
	}
	s.poke()
	s.changed(id)
	return nil
}

func (s *Service) objectActivity(typ, org string, o model.Object) model.Activity {
	obj := o
	return model.Activity{
		ID:        s.uris.Activity(uris.NewID(s.Now())),
		Type:      typ,
		Actor:     org,
		ObjectID:  o.ID,
		Object:    &obj,
		Published: s.Now().UTC(),
	}
}

// ownObject loads a live local object and checks it belongs to org.
func (s *Service) ownObject(tx *store.Tx, org, id string) (model.Object, error) {
	o, err := tx.Object(id)
	if err != nil {
		return o, err
	}
	if !o.Local || o.AttributedTo != s.uris.Actor(org) {
		return o, fmt.Errorf("object %s is not %s's: %w", id, org, ErrForbidden)
	}
	if o.IsDeleted() {
		return o, fmt.Errorf("object %s: %w", id, ErrNotFound)
	}
	return o, nil
}

// Object returns any stored object, local or remote, tombstones included.
func (s *Service) Object(ctx context.Context, id string) (model.Object, error) {
	var o model.Object
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		o, err = tx.Object(id)
		return err
	})
	return o, err
}

// ObjectsBy lists an actor's live public objects, newest first, as anyone
// may see them; none for a blocked actor.
func (s *Service) ObjectsBy(ctx context.Context, actorIRI string) ([]model.Object, error) {
	var out []model.Object
	err := s.store.View(func(tx *store.Tx) error {
		all, err := tx.ObjectsBy(actorIRI, 0)
		for _, o := range all {
			if !o.IsDeleted() && o.IsPublic() && !o.HiddenBy(tx) {
				out = append(out, o)
			}
		}
		return err
	})
	return out, err
}

// Replies lists the replies an object received, but those of blocked
// actors.
func (s *Service) Replies(ctx context.Context, objectID string) ([]model.Reply, error) {
	var out []model.Reply
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := tx.Object(objectID); err != nil {
			return err
		}
		all, err := tx.Replies(objectID)
		for _, r := range all {
			if !r.HiddenBy(tx) {
				out = append(out, r)
			}
		}
		return err
	})
	return out, err
}

func (s *Service) localOrg(tx *store.Tx, name string) (model.Org, error) {
	o, err := tx.Org(name)
	if errors.Is(err, store.ErrNotFound) {
		return o, fmt.Errorf("organisation %q: %w", name, ErrNotFound)
	}
	return o, err
}

// defaultLang gives an object without a stated language its organisation's
// first working language, so that it travels with a contentMap and other
// servers know its language.
func defaultLang(o *model.Object, owner model.Org) {
	if o.Lang == "" && len(owner.Languages) > 0 {
		o.Lang = owner.Languages[0]
	}
}
