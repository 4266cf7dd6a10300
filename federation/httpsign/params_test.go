package httpsign

import (
	"context"
	"crypto"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestParseParams(t *testing.T) {
	tests := []struct {
		name, in string
		want     string // canonical form, "" if an error is expected
	}{
		{name: "mastodon", in: `keyId="https://m.example/users/a#main-key",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature="c2ln"`,
			want: `keyId="https://m.example/users/a#main-key",headers="(request-target) host date digest content-type",signature="c2ln"`},
		{name: "spaces and mixed-case headers", in: ` keyId = "k" , headers="(Request-Target)  Host",signature="c2ln" `,
			want: `keyId="k",headers="(request-target) host",signature="c2ln"`},
		{name: "created and expires", in: `keyId="k",created=1700000000,expires=1700000300,headers="(created)",signature="c2ln"`,
			want: `keyId="k",created=1700000000,expires=1700000300,headers="(created)",signature="c2ln"`},
		{name: "default headers", in: `keyId="k",signature="c2ln"`, want: `keyId="k",headers="date",signature="c2ln"`},
		{name: "unknown parameter ignored", in: `keyId="k",foo="bar",signature="c2ln"`, want: `keyId="k",headers="date",signature="c2ln"`},
		{name: "trailing comma", in: `keyId="k",signature="c2ln",`, want: `keyId="k",headers="date",signature="c2ln"`},
		{name: "equals in keyId", in: `keyId="https://x.example/key?id=1",signature="c2ln=="`, want: `keyId="https://x.example/key?id=1",headers="date",signature="c2ln=="`},

		{name: "empty", in: ``},
		{name: "no equals", in: `keyId`},
		{name: "unterminated quote", in: `keyId="k,signature="c2ln`},
		{name: "junk after value", in: `keyId="k"x,signature="c2ln"`},
		{name: "duplicate", in: `keyId="k",keyId="j",signature="c2ln"`},
		{name: "missing signature", in: `keyId="k"`},
		{name: "comma in keyId", in: `keyId="a,b",signature="c2ln"`},
		{name: "non-base64 signature", in: `keyId="k",signature="c2ln!"`},
		{name: "non-numeric created", in: `keyId="k",created=soon,signature="c2ln"`},
		{name: "bad header name", in: `keyId="k",headers="date (a,b)",signature="c2ln"`},
		{name: "parameter name not a token", in: `key id="k",signature="c2ln"`},
		{name: "stray quote", in: `keyId=a"b,signature="c2ln"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := parseParams(tt.in)
			got := ""
			if err == nil {
				got = p.canonical()
			}
			if got != tt.want {
				t.Errorf("parseParams(%q) = %q (error %v), want %q", tt.in, got, err, tt.want)
			}
		})
	}
}

func TestKeyIDFromRequest(t *testing.T) {
	tests := []struct {
		name, header, want string
	}{
		{name: "absent"},
		{name: "present", header: `keyId="https://m.example/users/a#main-key",signature="c2ln"`, want: "https://m.example/users/a#main-key"},
		{name: "unparsable", header: `keyId="https://m.example/users/a#main-key"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := httptest.NewRequest(http.MethodGet, inboxURL, nil)
			if tt.header != "" {
				r.Header.Set("Signature", tt.header)
			}
			if got := KeyIDFromRequest(r); got != tt.want {
				t.Errorf("KeyIDFromRequest() = %q, want %q", got, tt.want)
			}
		})
	}
}

// FuzzVerify feeds arbitrary Signature, Date and Digest headers to Verify:
// it must not panic, and must never accept a signature it did not produce.
func FuzzVerify(f *testing.F) {
	key := newKey(f)
	body := []byte(`{"type":"Follow"}`)
	r := signed(f, key, body, testNow())
	f.Add(r.Header.Get("Signature"), r.Header.Get("Date"), r.Header.Get("Digest"))
	f.Add(`keyId="k",headers="(request-target) host date digest",signature=""`, "", "SHA-256=")
	f.Add(`keyId="k",created=99999999999999999999,headers="(created)",signature="AA=="`, "x", ",,=")
	f.Add(`keyId="",algorithm="",headers="",signature="",`, "Mon, 02 Jan 2006 15:04:05 GMT", "sha-256==")
	keyFn := func(context.Context, string, bool) (string, crypto.PublicKey, error) {
		return testOwner, &key.PublicKey, nil
	}
	orig, err := parseParams(r.Header.Get("Signature"))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, sig, date, digest string) {
		r := httptest.NewRequest(http.MethodPost, inboxURL, strings.NewReader(string(body)))
		r.Header.Set("Signature", sig)
		r.Header.Set("Date", date)
		r.Header.Set("Digest", digest)
		_, err := Verify(context.Background(), r, body, testHost, testNow(), keyFn)
		_ = KeyIDFromRequest(r)
		if err != nil {
			return
		}
		if p, _ := parseParams(sig); p.signature != orig.signature {
			t.Errorf("Verify accepted signature %q, which Sign did not produce", p.signature)
		}
	})
}

// BenchmarkCanonical re-serialises a Mastodon Signature header, as every
// verification does.
func BenchmarkCanonical(b *testing.B) {
	p, err := parseParams(`keyId="https://mastodon.example/users/Gargron#main-key",algorithm="rsa-sha256",` +
		`headers="(request-target) host date digest content-type",signature="` + strings.Repeat("A", 344) + `"`)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.canonical()
	}
}
