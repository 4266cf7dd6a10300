package webkit

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"strconv"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/i18n"
)

//go:embed templates/*.html
var templateFS embed.FS

// funcs are the helpers templates may call.
var funcs = template.FuncMap{
	"list": func(xs ...string) []string { return xs },
	"km": func(d *float64) string {
		if d == nil {
			return ""
		}
		return strconv.FormatFloat(*d, 'f', 0, 64)
	},
}

// Parse registers each named page (templates/name.html) with the layout
// and the partials (file names under templates/). A page is parsed on its
// first Render, not at start: parsing every page's layout and partials
// was most of an instance's start time (34 of 47 ms) and 2.1 MB of its
// idle heap, for pages an instance may never show. Files that do not
// exist are refused here; TestTemplatesParse parses them all.
func (k *Kit) Parse(partials []string, names ...string) error {
	for _, name := range names {
		files := []string{"templates/layout.html"}
		for _, p := range partials {
			files = append(files, "templates/"+p)
		}
		files = append(files, "templates/"+name+".html")
		for _, f := range files {
			if _, err := fs.Stat(templateFS, f); err != nil {
				return fmt.Errorf("webkit: parse template %s: %w", name, err)
			}
		}
		k.pages[name] = &page{name: name, files: files}
	}
	return nil
}

// page is a page's template and its fields' order, parsed once on first
// use.
type page struct {
	name  string
	files []string
	once  sync.Once
	t     *template.Template
	order []string // the ids of the page's fields, in order (fieldOrder); set with t
	err   error
}

// template parses the page on its first call; after it returns, p.order
// is set too.
func (p *page) template() (*template.Template, error) {
	p.once.Do(func() {
		p.t, p.err = template.New(p.name).Funcs(funcs).ParseFS(templateFS, p.files...)
		if p.err != nil {
			p.err = fmt.Errorf("webkit: parse template %s: %w", p.name, p.err)
			return
		}
		p.order = fieldOrder(p.t)
	})
	return p.t, p.err
}

// Page is what every page template gets: the page's own Data, and
// what the layout needs.
type Page struct {
	Title, Description, OG, AltJSON, Host string
	Lang                                  string // interface language
	Path                                  string // request path
	// LangURL is the page in the other language, with its query (the
	// directory's filters) kept.
	LangURL string
	// Image is the absolute URL of the page's preview image (og:image),
	// ImageAlt its description.
	Image, ImageAlt string
	// Nav is the header's links for the reader's role (nav.go).
	Nav Nav
	// Saved says what the form just sent did ("Saved."; Kit.Saved).
	Saved string
	Data  any

	tr    *i18n.Bundle
	order []string // the ids of the page's fields, in order (Ordered)
}

// T is the interface text of key in the page's language ({{.T "key"}}).
func (d Page) T(key string, args ...any) string { return d.tr.T(d.Lang, key, args...) }

// Date is a day in the page's language, "3 mai 2027" ({{$.Date .Deadline}}),
// for a time.Time or a *time.Time ("" for nil).
func (d Page) Date(t any) string {
	switch t := t.(type) {
	case time.Time:
		return d.tr.Date(d.Lang, t)
	case *time.Time:
		if t != nil {
			return d.tr.Date(d.Lang, *t)
		}
	}
	return ""
}

// Render executes a page into a buffer first, so that an error never
// leaves half a page. The language is picked from the request.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, status int, name string, d Page) {
	d.Host = k.uris.Host()
	d.Lang, d.tr, d.Path = k.tr.Pick(r), k.tr, r.URL.Path
	d.LangURL = langURL(r, d.Lang)
	d.Saved = k.takeSaved(w, r, d.Lang)
	if d.Nav = k.navOf(r); d.Nav.SignedIn && w.Header().Get("Cache-Control") == "" {
		w.Header().Set("Cache-Control", "private, no-cache") // the header names the account's area
	}
	var buf bytes.Buffer
	p, ok := k.pages[name]
	if !ok {
		k.log.Error("render page", "page", name, "err", "not registered with Parse")
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	t, err := p.template()
	if err == nil {
		d.order = p.order
		err = t.ExecuteTemplate(&buf, "layout", d)
	}
	if err != nil {
		k.log.Error("render page", "page", name, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// langURL is the request's URL in the language other than lang, its
// query kept but for lang.
func langURL(r *http.Request, lang string) string {
	other := "fr"
	if lang == "fr" {
		other = "en"
	}
	q := r.URL.Query()
	q.Set("lang", other)
	return r.URL.Path + "?" + q.Encode()
}
