package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// The member's path (issue #12): what a member's pages need beyond the
// use cases they share with editors: their answers, the state of their
// follows, their own name and bio, and who invited them.

// MaxMyAnswers bounds the answers listed on a member's page, newest first.
const MaxMyAnswers = 200

// MyAnswer is an answer an account drafted, with what its page shows of
// the call and of the organisation it answers for.
type MyAnswer struct {
	store.Answer
	OrgName   string // the answering organisation's display name
	CallTitle string // "" when the call is no longer held
}

// MyAnswers lists the answers username drafted, for any organisation,
// newest first, at most MaxMyAnswers: drafts, answers an editor sent as a
// reply, and withdrawn ones.
func (s *Service) MyAnswers(ctx context.Context, p Principal, username string) ([]MyAnswer, error) {
	if err := authorizeSelf(p, username, "list the answers"); err != nil {
		return nil, err
	}
	var out []MyAnswer
	err := s.store.View(func(tx *store.Tx) error {
		acc, err := tx.Account(username)
		if err != nil {
			return err
		}
		orgs := acc.Orgs
		if accountOf(acc).Role == RoleAdmin { // an administrator may answer for any organisation
			all, err := tx.Orgs()
			if err != nil {
				return err
			}
			orgs = nil
			for _, o := range all {
				if !o.Person && !o.Instance {
					orgs = append(orgs, o.Name)
				}
			}
		}
		for _, org := range orgs {
			list, err := tx.Answers(org)
			if err != nil {
				return err
			}
			name := org
			if o, err := tx.Org(org); err == nil {
				name = o.DisplayName
			}
			for _, a := range list {
				if a.Author != username {
					continue
				}
				m := MyAnswer{Answer: a, OrgName: name}
				if c, err := tx.Object(a.Call); err == nil {
					m.CallTitle = c.Title
				}
				out = append(out, m)
			}
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		err = fmt.Errorf("account %s: %w", username, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("answers of %s: %w", username, err)
	}
	slices.SortFunc(out, func(a, b MyAnswer) int { return b.Created.Compare(a.Created) })
	if len(out) > MaxMyAnswers {
		out = out[:MaxMyAnswers]
	}
	return out, nil
}

// FollowStates maps the actors username's Person actor follows to the
// state of each follow (model.FollowPending or model.FollowAccepted):
// what the pages' Follow buttons show.
func (s *Service) FollowStates(ctx context.Context, p Principal, username string) (map[string]string, error) {
	if err := authorizeSelf(p, username, "read the follows"); err != nil {
		return nil, err
	}
	name, err := s.MemberActor(ctx, username)
	if err != nil {
		return nil, err
	}
	list, err := s.FollowingList(ctx, name)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(list))
	for _, f := range list {
		out[f.Target] = f.State
	}
	return out, nil
}

// MemberProfile is what a member says of itself: the name and the bio of
// its Person actor.
type MemberProfile struct {
	DisplayName string
	Bio         string
}

// MemberProfile returns username's display name and bio.
func (s *Service) MemberProfile(ctx context.Context, p Principal, username string) (MemberProfile, error) {
	if err := authorizeSelf(p, username, "read the profile"); err != nil {
		return MemberProfile{}, err
	}
	name, err := s.MemberActor(ctx, username)
	if err != nil {
		return MemberProfile{}, err
	}
	o, err := s.Org(ctx, name)
	if err != nil {
		return MemberProfile{}, err
	}
	return MemberProfile{DisplayName: o.DisplayName, Bio: o.Summary}, nil
}

// SetMemberProfile changes username's display name (empty: the username)
// and bio, which its Person actor carries as name and summary, and
// federates an Update of the actor to its followers, as UpdateProfile does
// for an organisation.
func (s *Service) SetMemberProfile(ctx context.Context, p Principal, username string, in MemberProfile) error {
	if err := authorizeSelf(p, username, "change the profile"); err != nil {
		return err
	}
	in.DisplayName, in.Bio = strings.TrimSpace(in.DisplayName), strings.TrimSpace(in.Bio)
	if in.DisplayName == "" {
		in.DisplayName = username
	}
	problems := model.FieldErrors{}
	if !utf8.ValidString(in.DisplayName) || utf8.RuneCountInString(in.DisplayName) > model.MaxName || strings.ContainsAny(in.DisplayName, "\r\n") {
		problems["display_name"] = model.Problem("validation.max_chars", model.MaxName)
	}
	if !utf8.ValidString(in.Bio) || utf8.RuneCountInString(in.Bio) > model.MaxSummary {
		problems["bio"] = model.Problem("validation.max_chars", model.MaxSummary)
	}
	if len(problems) > 0 {
		return &model.ValidationError{Fields: problems}
	}
	name, err := s.MemberActor(ctx, username)
	if err != nil {
		return err
	}
	err = s.store.Update(func(tx *store.Tx) error {
		o, err := s.localOrg(tx, name)
		if err != nil {
			return err
		}
		if o.DisplayName == in.DisplayName && o.Summary == in.Bio {
			return nil // nothing changed: nothing to federate
		}
		o.DisplayName, o.Summary, o.Updated = in.DisplayName, in.Bio, s.Now().UTC()
		if err := tx.PutOrg(o); err != nil {
			return err
		}
		a := model.Activity{ID: s.uris.Activity(uris.NewID(s.Now())), Type: "Update", Actor: name,
			ObjectID: s.uris.Actor(name), Org: &o, Published: o.Updated,
			To: []string{PublicIRI}, CC: []string{s.uris.Followers(name)}}
		inboxes, err := followerInboxes(tx, name)
		if err != nil {
			return err
		}
		return s.emit(tx, a, inboxes, false)
	})
	if err != nil {
		return fmt.Errorf("member profile of %s: %w", username, err)
	}
	s.poke()
	s.changed(s.uris.Actor(name))
	return nil
}

// MemberNames maps usernames to their display names, for the pages that
// list accounts or what they wrote. An account whose Person actor has no
// other name than its username is left out.
func (s *Service) MemberNames(ctx context.Context, usernames ...string) map[string]string {
	out := map[string]string{}
	_ = s.store.View(func(tx *store.Tx) error {
		for _, u := range usernames {
			if o, err := tx.Org(model.PersonName(u)); err == nil && o.DisplayName != "" && o.DisplayName != u {
				out[u] = o.DisplayName
			}
		}
		return nil
	})
	return out
}

// InvitationInfo is what the page of an invitation tells its guest: who
// invites, with which role, for which organisations (display names).
type InvitationInfo struct {
	InvitedBy     string // username
	InvitedByName string // display name
	Role          Role
	Orgs          []string
}

// Invitation describes the live invitation code (ErrBadInvitation for an
// unknown, used or expired one). The code is the credential: anyone who
// holds it may read this.
func (s *Service) Invitation(ctx context.Context, code string) (InvitationInfo, error) {
	var info InvitationInfo
	err := s.store.View(func(tx *store.Tx) error {
		inv, err := s.liveInvitation(tx, code)
		if err != nil {
			return err
		}
		info = InvitationInfo{InvitedBy: inv.InvitedBy, InvitedByName: inv.InvitedBy, Role: Role(inv.Role)}
		if o, err := tx.Org(model.PersonName(inv.InvitedBy)); err == nil && o.DisplayName != "" {
			info.InvitedByName = o.DisplayName
		}
		for _, name := range dropMissingOrgs(tx, inv.Orgs) {
			if o, err := tx.Org(name); err == nil {
				info.Orgs = append(info.Orgs, o.DisplayName)
			}
		}
		return nil
	})
	return info, err
}

// HeldObject returns a project or call this instance holds, local or
// received, as p may see it: not deleted, not hidden by a block, and
// addressed to p's account unless public (ErrNotFound otherwise). It is
// what the instance's own page of a remote object shows.
func (s *Service) HeldObject(ctx context.Context, p Principal, iri string) (model.Object, error) {
	var o model.Object
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		if o, err = tx.Object(iri); err != nil {
			return err
		}
		if o.IsDeleted() || o.HiddenBy(tx) || !s.canSee(tx, p.Username(), o) ||
			(o.Kind != model.KindCall && o.Kind != model.KindProject) {
			return ErrNotFound
		}
		return nil
	})
	if errors.Is(err, store.ErrNotFound) {
		err = ErrNotFound
	}
	if err != nil {
		return o, fmt.Errorf("held object %s: %w", iri, err)
	}
	return o, nil
}
