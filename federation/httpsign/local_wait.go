package httpsign

import (
	"context"

	"codeberg.org/maillage/maillage/internal/errs"
)

// maxKeyWaiters is how many callers may wait for the generation slot: an
// anonymous GET of an imported organisation's actor makes its key (about a
// quarter of a second of CPU), and without a bound every such GET would
// wait in line, holding its goroutine, after its client left.
const maxKeyWaiters = 8

// ErrKeyBusy is the answer past maxKeyWaiters: come back later.
var ErrKeyBusy = errs.New(errs.RateLimited, "httpsign: keys being made, try again later")

// acquire takes the generation slot, waiting at most until ctx ends.
func (k *LocalKeys) acquire(ctx context.Context) error {
	select {
	case k.making <- struct{}{}:
		return nil
	default:
	}
	if k.waiters.Add(1) > maxKeyWaiters {
		k.waiters.Add(-1)
		return ErrKeyBusy
	}
	defer k.waiters.Add(-1)
	select {
	case k.making <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
