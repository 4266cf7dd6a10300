package federation_test

import (
	"bytes"
	"crypto/rsa"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/federation/httpsign"
)

// hostileBody is the decode-amplification body: a Create whose object is an
// array of tiny Notes, about size bytes in all. Each Note costs a few bytes
// on the wire and kilobytes once decoded into go-fed's types.
func hostileBody(actor string, size int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"@context":"https://www.w3.org/ns/activitystreams","type":"Create","id":%q,"actor":%q,"object":[`,
		actor+"/hostile", actor)
	for i := 0; b.Len() < size-32; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"type":"Note"}`)
	}
	b.WriteString(`]}`)
	return b.Bytes()
}

// signedPost signs body as keyID with key, to be posted to url.
func signedPost(tb testing.TB, url, keyID string, key *rsa.PrivateKey, body []byte) http.Header {
	tb.Helper()
	r := httptest.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	r.Header.Set("Content-Type", "application/activity+json")
	if err := httpsign.Sign(r, keyID, key, body, time.Now()); err != nil {
		tb.Fatal(err)
	}
	return r.Header
}

// BenchmarkInboxHostile measures what one hostile 1 MiB body costs the
// inbox: signed with a key id this instance does not know (on its own host,
// so nothing is fetched), and signed by a followed actor with a valid key.
// The first must be refused before any decoding (401), the second by the
// shape limits before go-fed sees it (400). Target: under 8 MiB allocated
// and 5 ms per request.
func BenchmarkInboxHostile(b *testing.B) {
	srv, key := newBenchServer(b)
	h := srv.Handler()
	for _, c := range []struct {
		name, keyID string
		want        int
	}{
		{"unknown-key", benchBase + "/orgs/nobody#main-key", http.StatusUnauthorized},
		{"signed", benchKeyID, http.StatusBadRequest},
	} {
		b.Run(c.name, func(b *testing.B) {
			actor, _, _ := strings.Cut(c.keyID, "#")
			body := hostileBody(actor, 1<<20-64)
			header := signedPost(b, benchBase+"/inbox", c.keyID, key, body)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				r := httptest.NewRequest(http.MethodPost, benchBase+"/inbox", bytes.NewReader(body))
				r.Header = header.Clone()
				w := httptest.NewRecorder()
				h.ServeHTTP(w, r)
				if w.Code != c.want {
					b.Fatalf("status %d, want %d: %s", w.Code, c.want, w.Body)
				}
			}
		})
	}
}
