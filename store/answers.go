package store

import (
	"fmt"
	"time"
)

// Answer states.
const (
	AnswerDraft     = "draft"
	AnswerSent      = "sent"
	AnswerWithdrawn = "withdrawn"
)

// Answer is an organisation's answer to a call, drafted by an account and
// sent (as a reply, by someone who may publish for the organisation) or
// withdrawn. Keyed org \0 id, so an organisation's drafts list together;
// ID is time-ordered.
type Answer struct {
	ID       string    `json:"id"`
	Call     string    `json:"call"` // IRI of the call, local or remote
	Org      string    `json:"org"`  // local name of the answering organisation
	Role     string    `json:"role"` // model.PartnerRoles slug offered
	Text     string    `json:"text"`
	Author   string    `json:"author"` // account username
	Status   string    `json:"status"` // AnswerDraft, AnswerSent, AnswerWithdrawn
	Created  time.Time `json:"created"`
	Sent     time.Time `json:"sent,omitzero"`
	SentBy   string    `json:"sent_by,omitempty"`
	ReplyIRI string    `json:"reply_iri,omitempty"` // the Note sent, once sent
}

// PutAnswer stores (or replaces) an answer.
func (t *Tx) PutAnswer(a Answer) error {
	return t.putJSON(bucketAnswers, join(a.Org, a.ID), a)
}

// Answer returns org's answer id.
func (t *Tx) Answer(org, id string) (Answer, error) {
	var a Answer
	if err := t.getJSON(bucketAnswers, join(org, id), &a); err != nil {
		return a, fmt.Errorf("answer %s/%s: %w", org, id, err)
	}
	return a, nil
}

// Answers lists org's answers, newest first.
func (t *Tx) Answers(org string) ([]Answer, error) {
	var out []Answer
	err := t.eachPrefix(bucketAnswers, join(org, ""), true, func(_, v []byte) (bool, error) {
		var a Answer
		if err := decode(v, &a); err != nil {
			return false, err
		}
		out = append(out, a)
		return true, nil
	})
	return out, err
}
