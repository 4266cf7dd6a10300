package delivery

import (
	"math/rand/v2"
	"time"
)

// Backoff schedule: 30 s after the first failure, doubling up to 12 h, each
// with ±20 % jitter so that retries to a host that came back do not arrive
// all at once. With the default 48 h maximum age that is 13 to 15 attempts,
// then one more after 48 h whose failure gives up (at most about 62 h).
const (
	backoffBase = 30 * time.Second
	backoffMax  = 12 * time.Hour
)

// Backoff returns the wait after the attempt-th failed attempt (1-based).
// jitter is a number in [0, 1), e.g. rand.Float64().
func Backoff(attempt int, jitter float64) time.Duration {
	d := backoffBase
	for i := 1; i < attempt && d < backoffMax; i++ {
		d *= 2
	}
	d = min(d, backoffMax)
	return time.Duration(float64(d) * (0.8 + 0.4*jitter))
}

func randomJitter() float64 { return rand.Float64() }
