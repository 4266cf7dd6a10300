package webkit

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

// TestEngineCallsNoMethod: the copied engine evaluates fields and map
// keys, and refuses a method's name with upstream's message, so a
// template left calling a method fails its page instead of keeping every
// method in the binary.
func TestEngineCallsNoMethod(t *testing.T) {
	exec := func(src string, data any) (string, error) {
		var b bytes.Buffer
		err := template.Must(template.New("t").Funcs(funcs(nil, "en", nil)).Parse(src)).Execute(&b, data)
		return b.String(), err
	}
	if got, err := exec(`{{.Title}} {{index .Data "k"}}`, Page{Title: "a<b", Data: map[string]string{"k": "v"}}); err != nil || got != "a&lt;b v" {
		t.Errorf("fields: %q %v", got, err)
	}
	// A method of a value, of a pointer, niladic or with arguments: each
	// ran upstream.
	for _, c := range []struct {
		src  string
		data any
	}{{`{{.Value}}`, methodful{}}, {`{{.Value}}`, &methodful{}}, {`{{.Ptr}}`, &methodful{}}, {`{{.Arg "x"}}`, methodful{}},
		{`{{with .Data}}{{.Value}}{{end}}`, Page{Data: methodful{}}}} {
		if _, err := exec(c.src, c.data); err == nil || !strings.Contains(err.Error(), "can't evaluate field") {
			t.Errorf("%s on %T: %v", c.src, c.data, err)
		}
	}
	// On a map, the name is a key: with arguments, an error.
	for _, src := range []string{`{{.Attrs "x"}}`, `{{.For "x"}}`, `{{if .Described "x"}}{{end}}`} {
		if _, err := exec(src, FieldErrors{"x": "wrong"}); err == nil || !strings.Contains(err.Error(), "is not a method but has arguments") {
			t.Errorf("%s on a map type: %v", src, err)
		}
	}
}

// methodful has methods upstream's engine would call.
type methodful struct{}

func (methodful) Value() string       { return "v" }
func (*methodful) Ptr() string        { return "p" }
func (methodful) Arg(s string) string { return s }

// TestEngineCopyHasNoMethodLookup: the copy under tmpl/ is what
// scripts/sync-template.sh made, with its patch applied: no reflect
// Method or MethodByName call is left (a resync without the patch would
// bring them back, and every method into the binary).
func TestEngineCopyHasNoMethodLookup(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("tmpl", "*", "*.go"))
	if err != nil || len(files) < 10 {
		t.Fatalf("the copy's files: %v %v", files, err)
	}
	lookup := regexp.MustCompile(`\.(Method|MethodByName)\(`)
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if loc := lookup.FindIndex(src); loc != nil {
			t.Errorf("%s:%d calls reflect's %s", f, bytes.Count(src[:loc[0]], []byte("\n"))+1, src[loc[0]+1:loc[1]-1])
		}
	}
}

// TestBinaryLinksNoStandardTemplate: no package of the binary imports
// the standard text/template or html/template, whose method lookup would
// keep every method of every type (docs/frugality.md, "Binary size"); the copy in
// tmpl/ replaces them.
func TestBinaryLinksNoStandardTemplate(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to list the dependencies")
	}
	out, err := exec.Command(goTool, "list", "-deps", "codeberg.org/maillage/maillage/cmd/maillage").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	deps := strings.Fields(string(out))
	if !slices.Contains(deps, "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate") {
		t.Fatalf("the binary does not link the copy: %d packages listed", len(deps))
	}
	if bad := standardTemplates(deps); len(bad) > 0 {
		t.Errorf("the binary links %v: use internal/web/webkit/tmpl instead", bad)
	}
	if bad := standardTemplates(append(deps, "html/template")); !slices.Equal(bad, []string{"html/template"}) {
		t.Errorf("the check missed html/template: %v", bad)
	}
}

// standardTemplates are the standard library's template packages among
// deps (text/template/parse, which does no reflection, is allowed).
func standardTemplates(deps []string) []string {
	var bad []string
	for _, d := range deps {
		if d == "text/template" || d == "html/template" {
			bad = append(bad, d)
		}
	}
	return bad
}
