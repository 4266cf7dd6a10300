package federation

import (
	"context"
	"errors"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// Backfill: when a follow is accepted, the followed actor's recent public
// posts are fetched from its outbox, so that a new follower's directory
// does not start empty. It runs on a small bounded queue, never in the
// inbox request.
const (
	backfillQueue   = 64
	backfillWorkers = 2
	backfillItems   = 50 // at most one outbox page
)

// queueBackfill asks for actor's outbox to be read; it drops the request
// when the queue is full (the follow works without it).
func (f *Federation) queueBackfill(actor string) {
	select {
	case f.backfill <- actor:
	default:
		f.log.Warn("backfill queue full", "actor", actor)
	}
}

// Run works the backfill queue until ctx ends.
func (f *Federation) Run(ctx context.Context) {
	done := make(chan struct{})
	for range backfillWorkers {
		go func() {
			defer func() { done <- struct{}{} }()
			for {
				select {
				case <-ctx.Done():
					return
				case actor := <-f.backfill:
					fctx, cancel := context.WithTimeout(ctx, time.Minute)
					if err := f.backfillActor(fctx, actor); err != nil {
						f.log.Info("backfill failed", "actor", actor, "err", err)
					}
					cancel()
				}
			}
		}()
	}
	for range backfillWorkers {
		<-done
	}
}

// backfillActor reads the first page of actor's outbox and applies its
// Creates, Updates and Deletes oldest first, as if they had been delivered:
// the same checks, the same idempotence by activity id (so a deleted
// object stays deleted and the newest edit wins).
func (f *Federation) backfillActor(ctx context.Context, actor string) error {
	a, err := f.actor(ctx, actor)
	if err != nil {
		return err
	}
	if a.Outbox == "" || f.uris.IsLocal(a.Outbox) || !sameOrigin(a.Outbox, a.ID) {
		return nil
	}
	col, err := f.fetch.FetchAS(ctx, a.Outbox)
	if err != nil {
		return err
	}
	page := col
	if first, isIRI := col["first"].(string); isIRI {
		if !sameOrigin(first, a.ID) {
			return nil
		}
		if page, err = f.fetch.FetchAS(ctx, first); err != nil {
			return err
		}
	} else if m, ok := col["first"].(map[string]any); ok {
		page = m
	}
	items, _ := page["orderedItems"].([]any)
	if items == nil {
		items, _ = page["items"].([]any)
	}
	items = items[:min(len(items), backfillItems)]
	for i := len(items) - 1; i >= 0; i-- { // outboxes list newest first
		m, ok := items[i].(map[string]any)
		if !ok {
			continue
		}
		switch str(m, "type") {
		case "Create", "Update", "Delete":
		default:
			continue
		}
		in, err := decodeMap(ctx, m)
		if err != nil || in.Actor != a.ID || !sameOrigin(in.ID, a.ID) {
			continue
		}
		err = f.dispatch(ctx, in, "")
		var ve *model.ValidationError
		if err != nil && !errors.As(err, &ve) {
			f.log.Info("backfill item refused", "activity_id", in.ID, "err", err)
		}
	}
	return nil
}
