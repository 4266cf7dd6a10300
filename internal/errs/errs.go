package errs

import "errors"

// Kind is the class of an error. A Kind is itself an error, so that
// errors.Is(err, errs.NotFound) reports whether err is of that kind, and
// fmt.Errorf("...: %w", errs.Forbidden) classifies a new error.
type Kind uint8

// The kinds. Internal, the zero value, is everything unexpected: a failing
// disk, a bug. Its text is never shown to a client.
const (
	Internal          Kind = iota
	NotFound               // no such thing, or not visible to the caller
	Forbidden              // the caller may not do this
	Conflict               // the state does not allow it now (exists, in flight, already done)
	Invalid                // the input breaks a rule (model.ValidationError)
	Malformed              // the request cannot be read at all (bad JSON, bad activity)
	RateLimited            // too many requests; try later
	TooLarge               // the input or a remote answer is too large
	Gone                   // it existed and was deleted
	RemoteUnavailable      // a remote server could not be reached or failed
	RemoteInvalid          // a remote server answered something unusable
)

var names = [...]string{
	Internal:          "internal error",
	NotFound:          "not found",
	Forbidden:         "forbidden",
	Conflict:          "conflict",
	Invalid:           "invalid input",
	Malformed:         "malformed request",
	RateLimited:       "rate limited",
	TooLarge:          "too large",
	Gone:              "gone",
	RemoteUnavailable: "remote unavailable",
	RemoteInvalid:     "remote answer invalid",
}

func (k Kind) String() string {
	if int(k) < len(names) {
		return names[k]
	}
	return names[Internal]
}

func (k Kind) Error() string { return k.String() }

// ErrKind makes a bare Kind wrapped with %w carry its kind.
func (k Kind) ErrKind() Kind { return k }

// Kinded is implemented by errors that carry a kind: [Kind], [*Error] and
// types such as model.ValidationError.
type Kinded interface {
	error
	ErrKind() Kind
}

// Error is an error with a kind.
type Error struct {
	Kind Kind
	Err  error
}

func (e *Error) Error() string   { return e.Err.Error() }
func (e *Error) Unwrap() error   { return e.Err }
func (e *Error) ErrKind() Kind   { return e.Kind }
func (e *Error) Is(t error) bool { k, ok := t.(Kind); return ok && k == e.Kind }

// E classifies err as kind k; E(k, nil) is nil. The outermost kind wins,
// so a caller that knows better (a document fetched from a remote that
// fails validation is the remote's fault) can reclassify.
func E(k Kind, err error) error {
	if err == nil {
		return nil
	}
	return &Error{Kind: k, Err: err}
}

// New returns a new error of kind k with text, for sentinels such as
// store.ErrNotFound.
func New(k Kind, text string) error {
	return &Error{Kind: k, Err: errors.New(text)}
}

// KindOf returns the outermost kind in err's chain; Internal when there is
// none (and for nil, which callers do not ask about).
func KindOf(err error) Kind {
	var k Kinded
	if errors.As(err, &k) {
		return k.ErrKind()
	}
	return Internal
}

// Remote reports whether err is a remote server's failure: unreachable,
// failing, or answering something unusable.
func Remote(err error) bool {
	k := KindOf(err)
	return k == RemoteUnavailable || k == RemoteInvalid
}
