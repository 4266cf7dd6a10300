package federation

import (
	"errors"
	"io"
	"net/http"
	"sync/atomic"
	"time"
)

// Inbox bodies are read before a processing slot is taken, so that senders
// that trickle a body hold no slot (a slot held by a sender sending a byte a
// second would turn every real POST away). What bounds the reading instead:
const (
	// inboxReadTimeout cuts a body that has not arrived by then. Real
	// senders post a few kilobytes at once; Mastodon's delivery gives up
	// after 10 s of no progress (app/lib/request.rb, TIMEOUT).
	inboxReadTimeout = 15 * time.Second
	// inboxReadBudget bounds the bytes of all inbox bodies held at once,
	// read or being read, whatever the number of connections: past it a
	// POST is answered 503 with Retry-After.
	inboxReadBudget = 64 << 20
)

var errInboxBusy = errors.New("federation: inbox busy")

// bodyLimits are inboxReadTimeout and inboxReadBudget (smaller in tests).
type bodyLimits struct {
	timeout time.Duration
	budget  int64
}

// readBody reads a POST body within the deadline, the 1 MiB cap and the
// shared budget. release gives the body's bytes back to the budget once
// the request is done with them.
func (f *Federation) readBody(w http.ResponseWriter, r *http.Request) (body []byte, release func(), err error) {
	// Not every ResponseWriter can (httptest's cannot); the server's
	// ReadTimeout still holds then.
	_ = http.NewResponseController(w).SetReadDeadline(time.Now().Add(f.bodyLimits.timeout))
	br := &budgetReader{r: http.MaxBytesReader(w, r.Body, MaxInboxBody), budget: &f.bodyBytes, max: f.bodyLimits.budget}
	var buf *[]byte
	if r.ContentLength > 0 && r.ContentLength <= maxPresized {
		if buf, _ = f.bodyBufs.Get().(*[]byte); buf == nil {
			b := make([]byte, 0, maxPresized+1)
			buf = &b
		}
	}
	release = func() {
		f.bodyBytes.Add(-br.taken)
		if buf != nil {
			f.bodyBufs.Put(buf)
		}
	}
	body, err = readAll(br, r.ContentLength, buf)
	if err != nil {
		release()
		return nil, nil, err
	}
	return body, release, nil
}

// budgetReader takes from a shared byte budget what it reads, and fails
// with errInboxBusy once the budget is spent.
type budgetReader struct {
	r      io.Reader
	budget *atomic.Int64
	max    int64
	taken  int64
}

func (b *budgetReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if n > 0 {
		b.taken += int64(n)
		if b.budget.Add(int64(n)) > b.max {
			return n, errInboxBusy
		}
	}
	return n, err
}

// maxPresized bounds what readAll allocates before reading: a body's
// announced length is not charged to inboxReadBudget until it arrives, so a
// sender announcing 1 MiB and sending nothing must not cost 1 MiB. A
// Mastodon Create is 2 to 5 KB.
const maxPresized = 8 << 10

// readAll is io.ReadAll into a buffer of the announced length, when it is
// at most maxPresized: io.ReadAll grows its buffer from 512 bytes, copying
// the body several times over. A wrong length costs only growth. The
// buffer is *buf's when buf is not nil (then of capacity maxPresized+1).
func readAll(r io.Reader, length int64, buf *[]byte) ([]byte, error) {
	if length <= 0 || length > maxPresized {
		return io.ReadAll(r)
	}
	var b []byte
	if buf != nil {
		b = (*buf)[:0]
	} else {
		b = make([]byte, 0, length+1) // +1: EOF is seen without growing
	}
	for {
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
	}
}
