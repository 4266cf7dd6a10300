package errs

import (
	"errors"
	"fmt"
	"testing"
)

func TestKindOf(t *testing.T) {
	sentinel := New(NotFound, "store: not found")
	wrapped := fmt.Errorf("call %s: %w", "x", sentinel)
	if KindOf(wrapped) != NotFound || !errors.Is(wrapped, NotFound) || !errors.Is(wrapped, sentinel) {
		t.Errorf("wrapped sentinel: kind %v, Is(NotFound) %v, Is(sentinel) %v",
			KindOf(wrapped), errors.Is(wrapped, NotFound), errors.Is(wrapped, sentinel))
	}
	if got := KindOf(fmt.Errorf("x: %w", Forbidden)); got != Forbidden {
		t.Errorf("bare kind: %v, want forbidden", got)
	}
	if got := KindOf(errors.New("boom")); got != Internal {
		t.Errorf("plain error: %v, want internal", got)
	}
	re := E(RemoteInvalid, wrapped)
	if KindOf(re) != RemoteInvalid || !Remote(re) || Remote(wrapped) {
		t.Errorf("reclassified: kind %v, Remote %v", KindOf(re), Remote(re))
	}
	if E(Invalid, nil) != nil {
		t.Error("E(k, nil) != nil")
	}
	if re.Error() != wrapped.Error() {
		t.Errorf("text %q, want the cause's %q", re.Error(), wrapped.Error())
	}
}
