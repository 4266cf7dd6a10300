package loadtest

import (
	"context"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// burst is the outcome of running one request function many times.
type burst struct {
	ok, failed int
	elapsed    time.Duration
	p50, p99   time.Duration
}

func (b burst) rate() float64 { return float64(b.ok) / b.elapsed.Seconds() }

// run calls do with concurrency workers until n calls were made (n > 0)
// or for d, and times each call. do reports whether its call succeeded.
func run(ctx context.Context, concurrency, n int, d time.Duration, do func(ctx context.Context, i int) bool) burst {
	var next atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var ok, failed int
	deadline := time.Now().Add(d)
	start := time.Now()
	var wg sync.WaitGroup
	for range concurrency {
		wg.Go(func() {
			var mine []time.Duration
			var good, bad int
			for ctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if n > 0 && i >= n || n <= 0 && time.Now().After(deadline) {
					break
				}
				t := time.Now()
				if do(ctx, i) {
					good++
					mine = append(mine, time.Since(t))
				} else {
					bad++
				}
			}
			mu.Lock()
			lat, ok, failed = append(lat, mine...), ok+good, failed+bad
			mu.Unlock()
		})
	}
	wg.Wait()
	b := burst{ok: ok, failed: failed, elapsed: time.Since(start)}
	if len(lat) > 0 {
		slices.Sort(lat)
		b.p50, b.p99 = lat[len(lat)/2], lat[min(len(lat)-1, len(lat)*99/100)]
	}
	return b
}
