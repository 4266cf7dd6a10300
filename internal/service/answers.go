package service

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// MaxAnswerText bounds the text of an answer to a call, in characters.
const MaxAnswerText = 2000

// ProposeAnswer drafts org's answer to the call callIRI (local or remote,
// held by this instance): the role org offers and a short text. The
// account must be allowed to propose answers for org; the call must be
// live, open, not expired and not org's own. Nothing leaves the instance
// until SendAnswer.
func (s *Service) ProposeAnswer(ctx context.Context, p Principal, org, callIRI, role, text string) (store.Answer, error) {
	acc := p.Account()
	text = strings.TrimSpace(text)
	a := store.Answer{Call: callIRI, Org: org, Role: role, Text: text, Author: acc.Username, Status: store.AnswerDraft}
	if acc.Username == "" || !p.Can(ActProposeAnswer, org) { // an answer has an author
		return a, fmt.Errorf("propose answer for %s: %w", org, ErrForbidden)
	}
	problems := model.FieldErrors{}
	if text == "" || utf8.RuneCountInString(text) > MaxAnswerText {
		problems["text"] = model.Problem("validation.text.length", MaxAnswerText)
	}
	if !slices.Contains(model.PartnerRoles, role) {
		problems["role"] = model.Problem("validation.role.pick")
	}
	if len(problems) > 0 {
		return a, &model.ValidationError{Fields: problems}
	}
	err := s.store.Update(func(tx *store.Tx) error {
		if _, err := s.localOrg(tx, org); err != nil {
			return err
		}
		c, err := s.answerableCall(tx, org, callIRI)
		if err != nil {
			return err
		}
		if !s.canSee(tx, acc.Username, c) {
			return fmt.Errorf("call %s: %w", callIRI, ErrNotFound) // not addressed to this account
		}
		if len(c.PartnerRoles) > 0 && !slices.Contains(c.PartnerRoles, role) {
			return model.Invalid("role", "validation.role.sought")
		}
		now := s.Now().UTC()
		a.ID, a.Created = uris.NewID(now), now
		return tx.PutAnswer(a)
	})
	if err != nil {
		return a, fmt.Errorf("propose answer to %s: %w", callIRI, err)
	}
	s.log.Info("answer drafted", "org", org, "account", acc.Username, "object_id", callIRI)
	return a, nil
}

// answerableCall loads a call org may answer now: live, open, not
// expired, not hidden by a block, and not org's own.
func (s *Service) answerableCall(tx *store.Tx, org, iri string) (model.Object, error) {
	c, err := tx.Object(iri)
	if err != nil {
		return c, err
	}
	if c.Kind != model.KindCall || c.IsDeleted() || c.HiddenBy(tx) {
		return c, fmt.Errorf("call %s: %w", iri, ErrNotFound)
	}
	if c.AttributedTo == s.uris.Actor(org) {
		return c, model.Invalid("call", "validation.call.own")
	}
	if !c.CallState().IsOpen(s.Now()) {
		return c, model.Invalid("call", "validation.call.closed")
	}
	return c, nil
}

// ListDrafts lists org's answers (drafts, sent and withdrawn), newest
// first.
func (s *Service) ListDrafts(ctx context.Context, p Principal, org string) ([]store.Answer, error) {
	if err := authorize(p, ActReadAdmin, org); err != nil {
		return nil, fmt.Errorf("list answers: %w", err)
	}
	var out []store.Answer
	err := s.store.View(func(tx *store.Tx) error {
		if _, err := s.localOrg(tx, org); err != nil {
			return err
		}
		var err error
		out, err = tx.Answers(org)
		return err
	})
	return out, err
}

// AnswerText is the text of the reply that carries an answer: the role
// offered first, so that any fediverse reader sees it.
func AnswerText(role, text string) string {
	label := strings.ReplaceAll(role, "-", " ")
	if label != "" {
		label = strings.ToUpper(label[:1]) + label[1:]
	}
	return "We offer: " + label + ".\n\n" + text
}

// SendAnswer sends org's drafted answer id as org: a reply to the call,
// mentioning the calling organisation (see Reply), and marks it sent with
// the reply's IRI, in one transaction. The account must be allowed to
// publish for org. It is idempotent: an answer already sent is returned
// as it is and nothing is sent again. A withdrawn answer is a conflict; a
// call that closed meanwhile refuses it.
func (s *Service) SendAnswer(ctx context.Context, p Principal, org, id string) (store.Answer, error) {
	var a store.Answer
	acc := p.Account()
	if !p.Can(ActPublish, org) {
		return a, fmt.Errorf("send answer %s of %s: %w", id, org, ErrForbidden)
	}
	sent := false
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		if a, err = tx.Answer(org, id); err != nil {
			return err
		}
		switch a.Status {
		case store.AnswerSent:
			return nil
		case store.AnswerWithdrawn:
			return fmt.Errorf("answer %s withdrawn: %w", id, ErrConflict)
		}
		if _, err := s.answerableCall(tx, org, a.Call); err != nil {
			return err
		}
		r, err := s.replyTx(tx, org, a.Call, AnswerText(a.Role, a.Text))
		if err != nil {
			return err
		}
		a.Status, a.ReplyIRI, a.Sent, a.SentBy = store.AnswerSent, r.ID, r.Published, acc.Username
		sent = true
		return tx.PutAnswer(a)
	})
	if err != nil {
		return a, fmt.Errorf("send answer %s of %s: %w", id, org, err)
	}
	if sent {
		s.poke()
		s.log.Info("answer sent", "org", org, "account", acc.Username, "object_id", a.ReplyIRI)
	}
	return a, nil
}

// WithdrawDraft withdraws org's draft id: its author may, and whoever may
// publish for org. A sent answer cannot be withdrawn (conflict);
// withdrawing twice is not an error.
func (s *Service) WithdrawDraft(ctx context.Context, p Principal, org, id string) error {
	acc := p.Account()
	err := s.store.Update(func(tx *store.Tx) error {
		a, err := tx.Answer(org, id)
		if err != nil {
			return err
		}
		mine := acc.Username != "" && a.Author == acc.Username && p.Can(ActProposeAnswer, org)
		if !mine && !p.Can(ActPublish, org) {
			return ErrForbidden
		}
		switch a.Status {
		case store.AnswerWithdrawn:
			return nil
		case store.AnswerSent:
			return fmt.Errorf("answer already sent: %w", ErrConflict)
		}
		a.Status = store.AnswerWithdrawn
		return tx.PutAnswer(a)
	})
	if err != nil {
		return fmt.Errorf("withdraw answer %s of %s: %w", id, org, err)
	}
	return nil
}

// ReceivedAnswer is a reply to a call with what is known of its sender:
// the actor and, for a maillage organisation, its profile.
type ReceivedAnswer struct {
	Reply   model.Reply
	Actor   model.Actor
	Profile *model.Profile // nil: not a maillage organisation, or unknown
}

// AnswersReceived lists the replies to the call callIRI (but those of
// blocked actors), each with its sender's profile when known: the calling
// organisation's view of the answers.
func (s *Service) AnswersReceived(ctx context.Context, callIRI string) ([]ReceivedAnswer, error) {
	replies, err := s.Replies(ctx, callIRI)
	if err != nil {
		return nil, err
	}
	out := make([]ReceivedAnswer, len(replies))
	err = s.store.View(func(tx *store.Tx) error {
		for i, r := range replies {
			out[i].Reply = r
			if name, ok := s.uris.LocalActorName(r.Actor); ok {
				if o, err := tx.Org(name); err == nil {
					p := o.Profile
					out[i].Actor = model.Actor{ID: r.Actor, Type: "Organization", Username: name, Host: s.uris.Host(), Name: o.DisplayName}
					out[i].Profile = &p
				}
				continue
			}
			if a, err := tx.Actor(r.Actor); err == nil {
				out[i].Actor, out[i].Profile = a, a.Profile
			}
		}
		return nil
	})
	return out, err
}
