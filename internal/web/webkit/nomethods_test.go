package webkit

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
	"time"
	"unicode"

	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

// TestTemplatesNameNoMethod: the template engine (tmpl/texttemplate)
// calls no methods, so {{.Name}} must be a field or a map key. A name
// that the module declares only as a method (and the standard types that
// reach pages, time.Time and url.Values) fails the page when it is
// rendered, in a branch a test may not take; this finds it in every
// template file without running them. A name that is a method of one type
// and a field of another in the packages pages are given (Error, Kind,
// Format) is left to the rendering tests. Run on the templates and code
// before the engine changed, it flags 18 of the names they called as
// methods; it missed Format, CanAnswer, Follow and Error.
func TestTemplatesNameNoMethod(t *testing.T) {
	methods, fields := declaredNames(t, filepath.Join("..", "..", ".."))
	for _, typ := range []reflect.Type{reflect.TypeFor[time.Time](), reflect.TypeFor[*time.Time](),
		reflect.TypeFor[url.Values](), reflect.TypeFor[*url.URL](), reflect.TypeFor[error]()} {
		for i := range typ.NumMethod() {
			methods[typ.Method(i).Name] = true
		}
	}
	if !methods["T"] || !methods["Format"] || fields["T"] {
		t.Fatalf("the module's names were not read: T method %v, Format method %v", methods["T"], methods["Format"])
	}
	files, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil || len(files) < 2 {
		t.Fatalf("templates: %v %v", files, err)
	}
	for _, f := range files {
		tm, err := template.New("t").Funcs(funcs(nil, "en", nil)).ParseFS(templateFS, f)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, name := range calledMethods(tm, methods, fields) {
			t.Errorf("%s: .%s is a method, which templates cannot call: a field or a function instead", f, name)
		}
	}
}

// calledMethods lists the names tm evaluates that are methods and no
// field.
func calledMethods(tm *template.Template, methods, fields map[string]bool) []string {
	var out []string
	for _, name := range templateFields(tm) {
		if methods[name] && !fields[name] {
			out = append(out, name)
		}
	}
	return out
}

// TestTemplatesNameNoMethodFails: the check flags a method call (.Date, as
// the templates wrote before).
func TestTemplatesNameNoMethodFails(t *testing.T) {
	tm := template.Must(template.New("t").Parse(`{{define "x"}}{{with .Data}}{{$.Date .Deadline}}{{end}}{{end}}`))
	if got := templateFields(tm); !slices.Contains(got, "Date") || !slices.Contains(got, "Deadline") {
		t.Errorf("fields of the template: %v", got)
	}
	methods, fields := declaredNames(t, filepath.Join("..", "..", ".."))
	if got := calledMethods(tm, methods, fields); !slices.Equal(got, []string{"Date"}) {
		t.Errorf("methods the template calls: %v, want [Date] (a method of i18n.Bundle; Deadline is a field)", got)
	}
}

// pageDataDirs are the packages whose types and maps pages are given, as
// paths from the module's root.
var pageDataDirs = []string{"internal/web", "internal/wire", "internal/model", "internal/directory",
	"internal/service", "internal/i18n", "internal/uris", "internal/importer"}

// templateFields lists the field names the templates of tm evaluate
// (.A.B, $x.A, (pipe).A).
func templateFields(tm *template.Template) []string {
	var names []string
	var walk func(n parse.Node)
	walk = func(n parse.Node) {
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c)
				}
			}
		case *parse.ActionNode:
			walk(n.Pipe)
		case *parse.PipeNode:
			if n != nil {
				for _, c := range n.Cmds {
					walk(c)
				}
			}
		case *parse.CommandNode:
			for _, a := range n.Args {
				walk(a)
			}
		case *parse.FieldNode:
			names = append(names, n.Ident...)
		case *parse.VariableNode:
			names = append(names, n.Ident[1:]...)
		case *parse.ChainNode:
			walk(n.Node)
			names = append(names, n.Field...)
		case *parse.IfNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.RangeNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.WithNode:
			walk(n.Pipe)
			walk(n.List)
			walk(n.ElseList)
		case *parse.TemplateNode:
			walk(n.Pipe)
		}
	}
	for _, x := range tm.Templates() {
		if x.Tree != nil {
			walk(x.Tree.Root)
		}
	}
	return names
}

// declaredNames reads the module's Go files but tests, test helpers and
// the copied engine: the exported method names, and the names a template
// can reach as fields (struct fields, embedded types, string keys of
// maps). Fields count only from the packages whose values pages are given
// (pageDataDirs): a name that is a field of some federation or store type
// would otherwise hide a method call on a page's data.
func declaredNames(t *testing.T, root string) (methods, fields map[string]bool) {
	methods, fields = map[string]bool{}, map[string]bool{}
	exported := func(s string) bool { return s != "" && unicode.IsUpper([]rune(s)[0]) }
	key := func(e ast.Expr) {
		if lit, ok := e.(*ast.BasicLit); ok && lit.Kind == token.STRING {
			if s, err := strconv.Unquote(lit.Value); err == nil && exported(s) {
				fields[s] = true
			}
		}
	}
	fset := token.NewFileSet()
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			switch d.Name() {
			case ".git", "tmpl", "testdata", "webtest", "testenv": // not pages' data
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		pageData := slices.ContainsFunc(pageDataDirs, func(dir string) bool {
			return strings.HasPrefix(filepath.ToSlash(rel), dir+"/")
		})
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, src, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.FuncDecl:
				if n.Recv != nil && exported(n.Name.Name) {
					methods[n.Name.Name] = true
				}
			case *ast.StructType:
				if !pageData {
					return true
				}
				for _, fl := range n.Fields.List {
					for _, name := range fl.Names {
						fields[name.Name] = true
					}
					if len(fl.Names) == 0 { // embedded: its type's name
						typ := fl.Type
						if st, ok := typ.(*ast.StarExpr); ok {
							typ = st.X
						}
						switch x := typ.(type) {
						case *ast.Ident:
							fields[x.Name] = true
						case *ast.SelectorExpr:
							fields[x.Sel.Name] = true
						}
					}
				}
			case *ast.KeyValueExpr:
				if pageData {
					key(n.Key)
				}
			case *ast.IndexExpr:
				if pageData {
					key(n.Index)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return methods, fields
}
