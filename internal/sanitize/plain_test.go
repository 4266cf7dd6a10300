package sanitize

import (
	"math/rand/v2"
	"strings"
	"testing"
)

// TestPlainHTMLAsPolicy checks the shortcut against the policy on random
// strings made of the pieces it must judge: wherever it answers, its
// answer is the policy's, byte for byte.
func TestPlainHTMLAsPolicy(t *testing.T) {
	p := New()
	pieces := []string{"<p>", "</p>", "<br>", "<br/>", "<br />", "<BR>", "<p >", "<p class=\"x\">", "<b>", "<a href=\"https://e.example/\">", "</a>",
		"text", " ", "\n", "\t", "\r", "\r\n", "\x00", "é", "😀", "\xff", "&amp;", "&lt;", "&gt;", "&#39;", "&#34;", "&quot;", "&nbsp;", "&#x27;", "&",
		"<", ">", "'", "\"", "<!-- c -->", "<script>", "</script>", "l&#39;atelier", "=", "/"}
	r := rand.New(rand.NewPCG(1, 2))
	answered := 0
	for range 200_000 {
		var b strings.Builder
		for range r.IntN(8) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		s := b.String()
		got, ok := plainHTML(s)
		if !ok {
			continue
		}
		answered++
		if want := p.p.Sanitize(keepAllowedClasses(s)); got != want {
			t.Fatalf("plainHTML(%q) = %q, the policy gives %q", s, got, want)
		}
	}
	if answered < 10_000 {
		t.Errorf("the shortcut answered %d strings of 200,000, want more", answered)
	}
}

// TestPlainHTMLTakesPosts checks that the shortcut takes a post as
// Mastodon writes one, and leaves markup it does not know to the policy.
func TestPlainHTMLTakesPosts(t *testing.T) {
	for s, want := range map[string]bool{
		"<p>On cherche une coopérative partenaire pour l&#39;outillage à Lyon.</p><p>Écrivez-nous !<br />Merci</p>": true,
		"<p>We are looking for a partner cooperative.</p>":                                                          true,
		"": true,
		`<p><a href="https://e.example/tags/coop" class="mention hashtag">#coop</a></p>`: false,
		"<p>a <script>alert(1)</script></p>":                                             false,
		"<p>Tom & Jerry</p>":                                                             false,
	} {
		if _, ok := plainHTML(s); ok != want {
			t.Errorf("plainHTML(%q) answered %v, want %v", s, ok, want)
		}
	}
}

// BenchmarkHTMLPost is the sanitising of a short post's content.
func BenchmarkHTMLPost(b *testing.B) {
	p := New()
	s := "<p>On cherche une coopérative partenaire pour l&#39;outillage à Lyon.</p><p>Écrivez-nous !<br />Merci</p>"
	b.ReportAllocs()
	for b.Loop() {
		p.HTML(s)
	}
}
