package sanitize

import (
	"strings"
	"testing"
)

func TestHTML(t *testing.T) {
	p := New()
	tests := []struct {
		name, in      string
		mustNot, must []string
	}{
		{"script", `<p>hi<script>alert(1)</script></p>`, []string{"<script", "alert"}, []string{"<p>hi</p>"}},
		{"javascript link", `<a href="javascript:alert(1)">x</a>`, []string{"javascript:"}, []string{"x"}},
		{"event attribute", `<p onclick="evil()">x</p>`, []string{"onclick", "evil"}, []string{"<p>x</p>"}},
		{"image", `<img src="https://e.example/a.png" onerror="x()">`, []string{"<img", "onerror"}, nil},
		{"style", `<p style="position:fixed">x</p><style>*{}</style>`, []string{"style"}, []string{"<p>x</p>"}},
		{"mastodon mention", `<span class="h-card"><a href="https://m.example/@a" class="u-url mention">@<span>a</span></a></span>`,
			nil, []string{`class="u-url mention"`, `rel="nofollow noreferrer noopener"`}},
		{"iframe", `<iframe src="https://e.example"></iframe>ok`, []string{"iframe"}, []string{"ok"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := p.HTML(tt.in)
			for _, bad := range tt.mustNot {
				if strings.Contains(got, bad) {
					t.Errorf("HTML(%q) = %q, contains %q", tt.in, got, bad)
				}
			}
			for _, good := range tt.must {
				if !strings.Contains(got, good) {
					t.Errorf("HTML(%q) = %q, lacks %q", tt.in, got, good)
				}
			}
		})
	}
}

// TestHTMLClasses checks that remote HTML keeps only the classes Mastodon
// keeps (lib/sanitize_ext/sanitize_config.rb): a reply borrowing the
// site's own error-summary style loses it, mentions and microformats stay.
func TestHTMLClasses(t *testing.T) {
	p := New()
	tests := []struct{ in, want string }{
		{`<p class="error-summary">Your account is suspended</p>`, `<p>Your account is suspended</p>`},
		{`<span class="error-summary">x</span>`, `<span>x</span>`},
		{`<a href="https://m.example/tags/x" class="mention hashtag error-summary" rel="tag">#x</a>`,
			`<a href="https://m.example/tags/x" class="mention hashtag" rel="nofollow noreferrer noopener" target="_blank">#x</a>`},
		{`<span class="h-card"><a href="https://m.example/@a" class="u-url mention">@<span>a</span></a></span>`,
			`<span class="h-card"><a href="https://m.example/@a" class="u-url mention" rel="nofollow noreferrer noopener" target="_blank">@<span>a</span></a></span>`},
		{`<a href="https://e.example/long"><span class="invisible">https://</span><span class="ellipsis">e.example/lo</span></a>`,
			`<a href="https://e.example/long" rel="nofollow noreferrer noopener" target="_blank"><span class="invisible">https://</span><span class="ellipsis">e.example/lo</span></a>`},
		{`<p class="quote-inline p-name dt-published e-content">q</p>`, `<p class="quote-inline p-name dt-published e-content">q</p>`},
		{`<span CLASS="btn	mention">x</span>`, `<span class="mention">x</span>`},
		{`<span class="mentions hashtag-x">x</span>`, `<span>x</span>`},
		{`<pre class="h-card">x</pre>`, `<pre>x</pre>`},
		{`<span class=mention>x</span> <span class = "btn">y</span>`, `<span class="mention">x</span> <span>y</span>`},
		{`<p>the class="btn" attribute</p><b class="btn">z</b>`, `<p>the class=&#34;btn&#34; attribute</p><b>z</b>`},
		{`<p>class="mention" classe <span ClAsS="invisible btn">x</span></p>`, `<p>class=&#34;mention&#34; classe <span class="invisible">x</span></p>`},
	}
	for _, tt := range tests {
		if got := p.HTML(tt.in); got != tt.want {
			t.Errorf("HTML(%q)\n = %q\nwant %q", tt.in, got, tt.want)
		}
	}
	// Markdown goes through the same policy.
	if got := p.Markdown(`hi`); strings.Contains(got, "class") {
		t.Errorf("Markdown = %q", got)
	}
}

func TestIsAllowedClass(t *testing.T) {
	for _, c := range []string{"mention", "hashtag", "h-card", "u-url", "invisible", "ellipsis", "p-name", "dt-published", "e-content", "quote-inline"} {
		if !isAllowedClass(c) {
			t.Errorf("isAllowedClass(%q) = false", c)
		}
	}
	for _, c := range []string{"error-summary", "btn", "mentions", "x-h-card", "", "h_card"} {
		if isAllowedClass(c) {
			t.Errorf("isAllowedClass(%q) = true", c)
		}
	}
}

func TestText(t *testing.T) {
	if got, want := Text(`<b>Coop &amp; co</b><script>x</script>`), "Coop & co"; got != want {
		t.Errorf("Text = %q, want %q", got, want)
	}
}

// TestTextOfHTML checks that the text of Policy.HTML's output is what Text
// gives of the HTML received.
func TestTextOfHTML(t *testing.T) {
	p := New()
	for _, in := range []string{
		`<b>Coop &amp; co</b><script>x</script>`,
		`<p>Bonjour <span class="h-card"><a href="https://a.example/@b" class="u-url mention">@<span>b</span></a></span> !</p><p>2 &lt; 3 &gt; 1</p>`,
		`<p>a<br/>b</p><style>p{}</style><img src="x" alt="<y>"><a href="javascript:x" title="a>b">lien</a>`,
		`texte sans balise, "guillemets" &amp; &#39;apostrophes&#39;`,
		`<p>non fermé <em>italique`,
		`<div><iframe src="https://x.example">cadre</iframe>&nbsp;suite</div>`,
	} {
		if got, want := TextOfHTML(p.HTML(in)), Text(in); got != want {
			t.Errorf("TextOfHTML(HTML(%q)) = %q, want %q", in, got, want)
		}
	}
}

func TestMarkdown(t *testing.T) {
	p := New()
	tests := []struct{ in, want string }{
		{"Hello **world**", "<p>Hello <strong>world</strong></p>"},
		{"# Title", "<h3>Title</h3>"},
		{"- a\n- b", "<ul>\n<li>a</li>\n<li>b</li>\n</ul>"},
		{"<script>alert(1)</script>", ""},
		{"[x](javascript:alert(1))", "<p>x</p>"},
		{"see https://coop.example", `<p>see <a href="https://coop.example" rel="nofollow noreferrer noopener" target="_blank">https://coop.example</a></p>`},
	}
	for _, tt := range tests {
		got := strings.TrimSpace(p.Markdown(tt.in))
		if strings.Contains(got, "script") || strings.Contains(got, "javascript") || (tt.want != "" && got != tt.want) {
			t.Errorf("Markdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
