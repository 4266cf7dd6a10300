package webkit

import (
	"io/fs"
	"slices"
	"testing"

	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

// TestTemplatesParse parses every template file with the layout: pages
// are parsed on their first Render (Parse), so a syntax error would
// otherwise show only when its page is first asked for.
func TestTemplatesParse(t *testing.T) {
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) < 2 {
		t.Fatalf("templates: %v %v", files, err)
	}
	for _, f := range files {
		if _, err := template.New("t").Funcs(funcs(nil, "en", nil)).ParseFS(templateFS, "templates/layout.html", f); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

// TestParseRefusesMissingFile: a page or partial that does not exist is
// still an error at start.
func TestParseRefusesMissingFile(t *testing.T) {
	k := &Kit{pages: map[string]*page{}}
	if err := k.Parse(nil, "no-such-page"); err == nil {
		t.Error("a missing page was accepted")
	}
	if err := k.Parse([]string{"no_such_partial.html"}, "home"); err == nil {
		t.Error("a missing partial was accepted")
	}
	if err := k.Parse(nil, "home"); err != nil {
		t.Error(err)
	}
	if k.pages["home"].langs["en"].order != nil {
		t.Error("the fields' order is known before the page is parsed")
	}
	if _, err := k.pages["home"].template(nil, "en"); err != nil {
		t.Error(err)
	}
	if order := k.pages["home"].langs["en"].order; !slices.Contains(order, "calls") {
		t.Errorf("home's order after its first parse: %v", order)
	}
}
