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
		"<", ">", "'", "\"", "<!-- c -->", "<script>", "</script>", "l&#39;atelier", "=", "/",
		// Mastodon's links, mentions and hashtags, and their near misses.
		`<span class="h-card" translate="no">`, `<span class="h-card">`, `<span>`, `</span>`, `<span class="">`,
		`<span class="invisible">`, `<span class="ellipsis">`, `<span class="evil">`, `<span class="u-url  mention">`,
		`<span translate="no" class="h-card">`, `<span style="x">`, `<span class="h-card" class="p-name">`,
		`<a href="https://m.example/@coop" class="u-url mention">`, `<a class="mention hashtag" href="https://m.example/tags/coop" rel="tag">`,
		`<a href="https://example.com/long/path?x=1&amp;y=2" target="_blank" rel="nofollow noopener" translate="no">`,
		`<a href="https://e.example/a b">`, `<a href="javascript:alert(1)">`, `<a href="/relative">`, `<a href="HTTPS://E.example/">`,
		`<a href="https://e.example/%zz">`, `<a href="https://e.example/%41">`, `<a href="https://e.example/é">`, `<a href="https://[::1]/">`,
		`<a href="https://e.example/x&y">`, `<a href="https://e.example/x&quot;y">`, `<a href="https://e.example/" onclick="x">`,
		`<a href="https://e.example/" href="https://f.example/">`, `<a href="http:///x">`, `<a href="https://user:pw@e.example/">`,
		`<a href="https://e.example/?q=a+b#frag">`, `<a href="https://e.example/" target="_self">`, `<a>`, `<A HREF="https://e.example/">`,
		`<a href='https://e.example/'>`, `<a href="https://e.example/"rel="x">`, "</a>", "</a>", "@", "#coop"}
	r := rand.New(rand.NewPCG(1, 2))
	answered, withLink := 0, 0
	var links []string // the pieces that open a link
	for _, p := range pieces {
		if strings.HasPrefix(strings.ToLower(p), "<a") {
			links = append(links, p)
		}
	}
	randomPieces := func(b *strings.Builder, n int) {
		for range r.IntN(n) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
	}
	for i := range 400_000 {
		var b strings.Builder
		randomPieces(&b, 8)
		if i%2 == 0 { // half of them hold a link, closed or not
			b.WriteString(links[r.IntN(len(links))])
			randomPieces(&b, 4)
			if r.IntN(4) > 0 {
				b.WriteString("</a>")
			}
			randomPieces(&b, 4)
		}
		s := b.String()
		got, ok := plainHTML(s)
		if !ok {
			continue
		}
		answered++
		if strings.Contains(s, "<a ") {
			withLink++
		}
		if want := p.p.Sanitize(keepAllowedClasses(s)); got != want {
			t.Fatalf("plainHTML(%q) = %q, the policy gives %q", s, got, want)
		}
	}
	if answered < 20_000 {
		t.Errorf("the shortcut answered %d strings of 400,000, want more", answered)
	}
	if withLink < 1_000 {
		t.Errorf("the shortcut answered %d strings with a link, want more", withLink)
	}
}

// TestPlainHTMLTakesPosts checks that the shortcut takes a post as
// Mastodon writes one, and leaves markup it does not know to the policy.
func TestPlainHTMLTakesPosts(t *testing.T) {
	for s, want := range map[string]bool{
		"<p>On cherche une coopérative partenaire pour l&#39;outillage à Lyon.</p><p>Écrivez-nous !<br />Merci</p>": true,
		"<p>We are looking for a partner cooperative.</p>":                                                          true,
		"": true,
		`<p><a href="https://e.example/tags/coop" class="mention hashtag" rel="tag">#<span>coop</span></a></p>`:                                                                                                                                       true,
		`<p><span class="h-card" translate="no"><a href="https://m.example/@coop-a" class="u-url mention">@<span>coop-a</span></a></span> bo ancora non so</p>`:                                                                                       true,
		`<p><a href="https://example.com/a?x=1&amp;y=2" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">https://</span><span class="ellipsis">example.com/a</span><span class="invisible">?x=1&amp;y=2</span></a></p>`: true,
		`<p>On a dit &quot;oui&quot;</p>`:                                                             true,
		`<p><a href="javascript:alert(1)">x</a></p>`:                                                  false,
		`<p><a href="https://e.example/">unclosed</p>`:                                                false,
		`<p><span class="h-card"><a href="https://e.example/" class="u-url mention">x</span></a></p>`: false,
		"<p>a <script>alert(1)</script></p>":                                                          false,
		"<p>Tom & Jerry</p>":                                                                          false,
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

// BenchmarkHTMLMention is the sanitising of a reply as Mastodon writes it,
// starting with a mention.
func BenchmarkHTMLMention(b *testing.B) {
	p := New()
	s := `<p><span class="h-card" translate="no"><a href="https://m.example/@coop" class="u-url mention">@<span>coop</span></a></span> bo ancora non so</p>`
	b.ReportAllocs()
	for b.Loop() {
		p.HTML(s)
	}
}
