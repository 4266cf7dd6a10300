package safehttp

import (
	"errors"
	"fmt"
	"io"
)

// ErrTooLarge is returned by ReadLimited when the input exceeds its limit.
var ErrTooLarge = errors.New("safehttp: response too large")

// ReadLimited reads all of r, up to max bytes. If r holds more, it stops
// after max+1 bytes and returns an error wrapping ErrTooLarge.
func ReadLimited(r io.Reader, max int64) ([]byte, error) {
	if max < 0 {
		max = 0
	}
	b, err := io.ReadAll(io.LimitReader(r, max+1))
	if err != nil {
		return nil, fmt.Errorf("safehttp: read: %w", err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%w: more than %d bytes", ErrTooLarge, max)
	}
	return b, nil
}
