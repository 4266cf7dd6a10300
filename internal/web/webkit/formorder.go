package webkit

import (
	"regexp"
	"slices"
	"strings"
	"text/template/parse"

	"codeberg.org/maillage/maillage/internal/i18n"
	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

// fieldIDRE finds the literal ids of a page's elements; ids built by
// template actions (err-{{.Field}}) are not fields of the form.
var fieldIDRE = regexp.MustCompile(`\sid="([A-Za-z0-9_]+)"`)

// fieldOrder lists the literal element ids of t's "content" in the order
// the page shows them, the partials it calls included: the order in which
// a form's error summary lists its problems (ordered).
func fieldOrder(t *template.Template) []string {
	var ids []string
	seen := map[string]bool{}
	var walk func(n parse.Node, depth int)
	walk = func(n parse.Node, depth int) {
		if depth > 10 {
			return
		}
		switch n := n.(type) {
		case *parse.ListNode:
			if n != nil {
				for _, c := range n.Nodes {
					walk(c, depth)
				}
			}
		case *parse.TextNode:
			for _, m := range fieldIDRE.FindAllSubmatch(n.Text, -1) {
				if id := string(m[1]); !seen[id] {
					seen[id] = true
					ids = append(ids, id)
				}
			}
		case *parse.IfNode:
			walk(n.List, depth)
			walk(n.ElseList, depth)
		case *parse.RangeNode:
			walk(n.List, depth)
			walk(n.ElseList, depth)
		case *parse.WithNode:
			walk(n.List, depth)
			walk(n.ElseList, depth)
		case *parse.TemplateNode:
			if p := t.Lookup(n.Name); p != nil && p.Tree != nil {
				walk(p.Tree.Root, depth+1)
			}
		}
	}
	if c := t.Lookup("content"); c != nil && c.Tree != nil {
		walk(c.Tree.Root, 0)
	}
	return ids
}

// ordered lists the problems of a form in the order of its fields on the
// page (order; {{range ordered .Data.Errs}} in the error summary); a problem of
// a field the page does not show comes last, by name. Each one's Text
// names its field, as its label says it (admin.field.NAME, without what
// the label adds in brackets), where the message alone ("is required")
// would not.
func ordered(tr *i18n.Bundle, lang string, order []string, errs FieldErrors) []FieldError {
	var fields []string
	for _, id := range order {
		if _, ok := errs[id]; ok {
			fields = append(fields, id)
		}
	}
	var rest []string
	for field := range errs {
		if !slices.Contains(fields, field) {
			rest = append(rest, field)
		}
	}
	slices.Sort(rest)
	out := make([]FieldError, 0, len(errs))
	for _, field := range append(fields, rest...) {
		e := FieldError{Field: field, Message: errs[field], Text: errs[field]}
		key := "admin.field." + field
		if label := tr.T(lang, key); label != key {
			label, _, _ = strings.Cut(label, " (")
			e.Text = tr.T(lang, "form.error.labelled", label, e.Message)
		}
		out = append(out, e)
	}
	return out
}
