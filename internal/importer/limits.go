package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Errors for a whole file, checked with errors.Is. Parse wraps them with
// what it was reading.
var (
	ErrTooLarge       = errors.New("file too large")
	ErrTooManyEntries = errors.New("too many entries")
	ErrFormat         = errors.New("malformed file")
)

// Default limits.
const (
	DefaultMaxBytes   = 50 << 20
	DefaultMaxEntries = 100_000
)

// Limits bound what one file may hold. Zero fields take the defaults.
type Limits struct {
	MaxBytes   int64
	MaxEntries int
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxEntries <= 0 {
		l.MaxEntries = DefaultMaxEntries
	}
	return l
}

// capReader reads at most max bytes, then fails with ErrTooLarge rather
// than ending early: a truncated file must not parse as a shorter one.
// The error is sticky: decoders that retry a read see it again.
type capReader struct {
	r    io.Reader
	left int64
	max  int64
	err  error
}

func (c *capReader) Read(p []byte) (int, error) {
	if c.err != nil {
		return 0, c.err
	}
	if c.left <= 0 {
		// One byte more tells a file of exactly max bytes from a larger one.
		var one [1]byte
		n, err := c.r.Read(one[:])
		if n > 0 {
			c.err = fmt.Errorf("%w: over %d bytes", ErrTooLarge, c.max)
			return 0, c.err
		}
		return 0, err
	}
	if int64(len(p)) > c.left {
		p = p[:c.left]
	}
	n, err := c.r.Read(p)
	c.left -= int64(n)
	return n, err
}

func newCapReader(r io.Reader, max int64) *capReader { return &capReader{r: r, left: max, max: max} }

// jsonError turns a decoding error into a file error, keeping ErrTooLarge.
func jsonError(what string, dec *json.Decoder, err error) error {
	if errors.Is(err, ErrTooLarge) {
		return fmt.Errorf("importer: %s: %w", what, err)
	}
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return fmt.Errorf("importer: %s: %w: unexpected end of file", what, ErrFormat)
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("importer: %s: %w: invalid JSON at byte %d: %s", what, ErrFormat, se.Offset, se.Error())
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		return fmt.Errorf("importer: %s: %w: %s", what, ErrFormat, te.Error())
	}
	return fmt.Errorf("importer: %s: %w: %w", what, ErrFormat, err)
}

// decodeArray reads a JSON array whose '[' has been consumed, calling fn
// with each element's raw bytes and 1-based index. More than max elements
// is ErrTooManyEntries.
func decodeArray(what string, dec *json.Decoder, max int, fn func(i int, raw json.RawMessage)) error {
	n := 0
	for dec.More() {
		n++
		if n > max {
			return fmt.Errorf("importer: %s: %w: more than %d", what, ErrTooManyEntries, max)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return jsonError(what, dec, err)
		}
		fn(n, raw)
	}
	if _, err := dec.Token(); err != nil { // ']'
		return jsonError(what, dec, err)
	}
	return nil
}

// expectEnd checks that nothing but white space follows the document.
func expectEnd(what string, dec *json.Decoder) error {
	if _, err := dec.Token(); err != io.EOF {
		if err == nil {
			return fmt.Errorf("importer: %s: %w: data after the end of the document", what, ErrFormat)
		}
		return jsonError(what, dec, err)
	}
	return nil
}
