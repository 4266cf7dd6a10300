package service

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"unicode/utf8"

	"codeberg.org/maillage/maillage/internal/errs"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/uris"
	"codeberg.org/maillage/maillage/store"
)

// Report limits: Mastodon caps a report's comment at 1,000 characters; a
// received one is cut at MaxReportComment, and at most MaxReportObjects
// IRIs of one Flag are kept.
const (
	MaxReportComment = 1000
	MaxReportObjects = 50
	// MaxReports bounds the stored reports: past it, new received reports
	// are dropped (logged) until an administrator clears old ones, so that
	// no server can fill the disk with Flags.
	MaxReports = 10000
	maxIRI     = 2048
)

// ReceiveFlag records a report (Flag) from actor about our actors or
// objects: objects lists what it names, as Mastodon sends it (the reported
// account, then statuses). IRIs that are not ours are dropped, and so is a
// Flag naming nothing of ours, or sent by a blocked actor or server.
func (s *Service) ReceiveFlag(ctx context.Context, activityID, actor string, objects []string, comment string) error {
	var stored model.Report
	err := s.receive(activityID, func(tx *store.Tx) error {
		stored = model.Report{}
		if tx.IsBlocked(actor) {
			return errNoEffect
		}
		r := model.Report{Activity: activityID, Actor: actor, Comment: cut(strings.TrimSpace(comment), MaxReportComment),
			Received: s.Now().UTC()}
		for _, o := range objects {
			if len(o) > maxIRI || !s.uris.IsLocal(o) || len(r.Objects) >= MaxReportObjects {
				continue
			}
			if name, ok := s.uris.LocalActorName(o); ok {
				if _, err := tx.Org(name); err == nil && r.Target == "" {
					r.Target = o
				}
				continue
			}
			if _, err := tx.Object(o); err != nil {
				continue // only things that exist here can be reported to us
			}
			r.Objects = append(r.Objects, o)
		}
		if r.Target == "" && len(r.Objects) == 0 {
			return errNoEffect // about nothing of ours
		}
		if r.Target == "" {
			if o, err := tx.Object(r.Objects[0]); err == nil {
				r.Target = o.AttributedTo
			}
		}
		if tx.ReportCount() >= MaxReports {
			s.log.Warn("report dropped: report store full", "actor", actor, "max", MaxReports)
			return nil
		}
		var err error
		stored, err = tx.AddReport(r)
		return err
	})
	if err != nil {
		return fmt.Errorf("receive flag %s: %w", activityID, err)
	}
	if stored.ID != 0 {
		s.log.Info("report received", "actor", actor, "target", stored.Target, "activity_id", activityID)
	}
	return nil
}

// ReportInput is a report this instance makes about a remote actor.
type ReportInput struct {
	Actor   string   `json:"actor"`   // IRI or name@host
	Objects []string `json:"objects"` // IRIs of its projects, calls or posts
	Comment string   `json:"comment"`
	Forward bool     `json:"forward"` // send a Flag to the actor's server
}

// Report records a report about a remote actor and, when in.Forward,
// sends it to the actor's server as a Flag signed by the instance actor
// (Mastodon's shape: the reported actor then the objects, and the comment
// as content; the reporter stays anonymous behind the instance actor).
// The Flag is delivered to the actor's inbox, as Mastodon does, and is not
// served publicly: its IRI is under /flags/, which answers 404.
func (s *Service) Report(ctx context.Context, p Principal, in ReportInput) (model.Report, error) {
	if err := authorize(p, ActModerate, ""); err != nil {
		return model.Report{}, fmt.Errorf("report: %w", err)
	}
	in.Actor, in.Comment = strings.TrimSpace(in.Actor), strings.TrimSpace(in.Comment)
	problems := model.FieldErrors{}
	if in.Actor == "" {
		problems["actor"] = model.Problem("validation.report.actor")
	}
	if utf8.RuneCountInString(in.Comment) > MaxReportComment {
		problems["comment"] = model.Problem("validation.max_write", MaxReportComment)
	}
	if len(in.Objects) > MaxReportObjects {
		problems["objects"] = model.Problem("validation.report.objects_max", MaxReportObjects)
	}
	for _, o := range in.Objects {
		if u, err := url.Parse(o); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			problems["objects"] = model.Problem("validation.report.objects")
		}
	}
	if len(problems) > 0 {
		return model.Report{}, &model.ValidationError{Fields: problems}
	}
	actor, err := s.reportedActor(ctx, in.Actor)
	if err != nil {
		return model.Report{}, err
	}
	if s.uris.IsLocal(actor.ID) {
		return model.Report{}, model.Invalid("actor", "validation.report.remote")
	}
	for _, o := range in.Objects {
		if !uris.SameOrigin(o, actor.ID) {
			return model.Report{}, model.Invalid("objects", "validation.report.objects_origin")
		}
	}
	if in.Forward && s.IsBlocked(ctx, actor.Inbox) {
		return model.Report{}, model.Invalid("forward", "validation.report.forward_blocked")
	}
	now := s.Now().UTC()
	r := model.Report{Activity: s.uris.Flag(uris.NewID(now)), Actor: s.uris.Actor(model.InstanceName), Target: actor.ID,
		Objects: in.Objects, Comment: in.Comment, Local: true, Sent: in.Forward, Received: now}
	err = s.store.Update(func(tx *store.Tx) error {
		if _, err := tx.Actor(actor.ID); errors.Is(err, store.ErrNotFound) {
			// Resolved for this report only: stored with it, so that
			// the report shows the actor's handle.
			if err := tx.PutActor(actor); err != nil {
				return err
			}
		}
		var err error
		if r, err = tx.AddReport(r); err != nil || !in.Forward {
			return err
		}
		a := model.Activity{ID: r.Activity, Type: "Flag", Actor: model.InstanceName, ObjectID: actor.ID,
			Flag: &model.FlagRef{Objects: append([]string{actor.ID}, in.Objects...), Content: in.Comment},
			To:   []string{actor.ID}, Published: now}
		return s.emit(tx, a, []string{actor.Inbox}, false)
	})
	if err != nil {
		return r, fmt.Errorf("report %s: %w", actor.ID, err)
	}
	if in.Forward {
		s.poke()
	}
	s.log.Info("report made", "target", actor.ID, "forwarded", in.Forward)
	return r, nil
}

// reportedActor finds a stored actor by IRI or handle, or resolves it.
func (s *Service) reportedActor(ctx context.Context, target string) (model.Actor, error) {
	var a model.Actor
	if s.uris.IsLocal(target) {
		return a, model.Invalid("actor", "validation.report.remote")
	}
	err := s.store.View(func(tx *store.Tx) error {
		id, err := s.knownActor(tx, target)
		if err != nil {
			return err
		}
		a, err = tx.Actor(id)
		return err
	})
	if errors.Is(err, ErrNotFound) {
		if s.IsBlocked(ctx, target) {
			// Nothing is asked of a blocked server: to the reporter, its
			// unknown actor is as unreachable as a server that is down.
			return a, errs.E(errs.RemoteUnavailable, fmt.Errorf("report %s: unknown, on a blocked server: %w", target, err))
		}
		a, err = s.resolveActor(ctx, target)
	}
	if err != nil {
		return a, fmt.Errorf("report %s: %w", target, err)
	}
	return a, nil
}

// Reports lists the reports received and made, newest first.
func (s *Service) Reports(ctx context.Context, p Principal) ([]model.Report, error) {
	if err := authorize(p, ActModerate, ""); err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	var out []model.Report
	err := s.store.View(func(tx *store.Tx) error {
		var err error
		out, err = tx.Reports()
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return out, nil
}

// cut returns s cut to at most n characters.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n])
}
