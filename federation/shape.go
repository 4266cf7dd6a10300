package federation

import "fmt"

// Limits on the shape of a remote JSON document, checked on its bytes before
// it is decoded. Decoding allocates per value (go-fed's types cost kilobytes
// for a value of a few bytes), so a 1 MiB body of 25,000 tiny objects would
// allocate gigabytes: a valid signature proves who sent a body, not that it
// is reasonable. Real activities are a handful of levels deep and hold tens
// of values (a Mastodon Create of a Note with its @context: about 100); an
// outbox page of 20 such activities about 2,000.
const (
	maxJSONDepth  = 32
	maxJSONArray  = 1000
	maxJSONValues = 10000
)

// ErrTooComplex is wrapped by the error for a document over the shape
// limits. It is a kind of ErrMalformed (400 in the inbox).
var ErrTooComplex = fmt.Errorf("%w: too deep or too many values", ErrMalformed)

// checkShape reports whether b stays within the shape limits, in one pass
// over its bytes and without allocating. It does not validate the JSON: the
// decoder that runs next does. Values are counted as containers opened plus
// separators, which is within one of the number of values and members.
func checkShape(b []byte) error {
	var arrays [maxJSONDepth]int // elements so far per open level; -1 for an object
	depth, values := 0, 0
	for i := 0; i < len(b); i++ {
		switch b[i] {
		case '"':
			for i++; i < len(b) && b[i] != '"'; i++ {
				if b[i] == '\\' {
					i++
				}
			}
		case '{', '[':
			if depth == maxJSONDepth {
				return fmt.Errorf("%w: nested deeper than %d", ErrTooComplex, maxJSONDepth)
			}
			arrays[depth] = -1
			if b[i] == '[' {
				arrays[depth] = 1
			}
			depth++
			values++
		case '}', ']':
			if depth > 0 {
				depth--
			}
		case ',':
			values++
			if depth > 0 && arrays[depth-1] > 0 {
				if arrays[depth-1]++; arrays[depth-1] > maxJSONArray {
					return fmt.Errorf("%w: an array of more than %d elements", ErrTooComplex, maxJSONArray)
				}
			}
		default:
			continue
		}
		if values > maxJSONValues {
			return fmt.Errorf("%w: more than %d values", ErrTooComplex, maxJSONValues)
		}
	}
	return nil
}
