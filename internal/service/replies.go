package service

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// MaxReplyText bounds a reply written locally, in characters.
const MaxReplyText = 5000

// Reply has the organisation org answer a project or call this instance
// holds (typically a peer's call for partnership): a public Note with
// inReplyTo and a mention of the author, delivered to the author's inbox and
// to org's followers, so that it shows in the thread on Mastodon,
// GoToSocial and maillage.
func (s *Service) Reply(ctx context.Context, p Principal, org, inReplyTo, text string) (model.Reply, error) {
	if err := authorize(p, ActPublish, org); err != nil {
		return model.Reply{}, fmt.Errorf("reply: %w", err)
	}
	text = strings.TrimSpace(text)
	var r model.Reply
	if text == "" || utf8.RuneCountInString(text) > MaxReplyText {
		return r, model.Invalid("text", "validation.text.length", MaxReplyText)
	}
	err := s.store.Update(func(tx *store.Tx) error {
		var err error
		r, err = s.replyTx(tx, org, inReplyTo, text)
		return err
	})
	if err != nil {
		return r, fmt.Errorf("reply to %s: %w", inReplyTo, err)
	}
	s.poke()
	return r, nil
}

// replyTx is Reply inside the caller's transaction (text already checked);
// the caller pokes the delivery worker after the commit.
func (s *Service) replyTx(tx *store.Tx, org, inReplyTo, text string) (model.Reply, error) {
	var r model.Reply
	if owner, err := s.localOrg(tx, org); err != nil {
		return r, err
	} else if owner.MovedTo != "" {
		return r, model.Invalid("text", "validation.move.moved")
	}
	o, err := tx.Object(inReplyTo)
	if err != nil {
		return r, err
	}
	if o.IsDeleted() || o.HiddenBy(tx) {
		return r, fmt.Errorf("object %s: %w", inReplyTo, ErrNotFound)
	}
	author, err := s.authorOf(tx, o)
	if err != nil {
		return r, err
	}
	now := s.Now().UTC().Truncate(time.Second)
	r = model.Reply{ID: s.uris.Note(org, uris.NewID(s.Now())), InReplyTo: o.ID, Actor: s.uris.Actor(org),
		Local: true, Text: text, ToActor: author.ID, ToHandle: author.Handle(), Published: now, Received: now}
	r.URL = r.ID
	if err := tx.PutReply(r); err != nil {
		return r, err
	}
	rep := r
	a := model.Activity{ID: s.uris.Activity(uris.NewID(now)), Type: "Create", Actor: org, ObjectID: r.ID,
		Reply: &rep, To: []string{PublicIRI}, CC: []string{author.ID, s.uris.Followers(org)}, Published: now}
	inboxes, err := followerInboxes(tx, org)
	if err != nil {
		return r, err
	}
	if !s.uris.IsLocal(author.ID) {
		inboxes = appendUnique(inboxes, author.DeliveryInbox())
	}
	return r, s.emit(tx, a, inboxes, true)
}

// authorOf returns the actor of an object: stored remote actor, or a local
// organisation described as an actor.
func (s *Service) authorOf(tx *store.Tx, o model.Object) (model.Actor, error) {
	if name, ok := s.uris.LocalActorName(o.AttributedTo); ok {
		return model.Actor{ID: o.AttributedTo, Username: name, Host: s.uris.Host(), Inbox: s.uris.Inbox(name)}, nil
	}
	return tx.Actor(o.AttributedTo)
}

func appendUnique(list []string, v string) []string {
	for _, x := range list {
		if x == v {
			return list
		}
	}
	return append(list, v)
}

// LocalReply returns a reply written by one of our organisations.
func (s *Service) LocalReply(ctx context.Context, iri string) (model.Reply, error) {
	var r model.Reply
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		r, err = tx.Reply(iri)
		return err
	})
	if err == nil && !r.Local {
		err = fmt.Errorf("reply %s: %w", iri, ErrNotFound)
	}
	return r, err
}
