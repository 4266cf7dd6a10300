package webkit

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"strconv"
	"sync"
	"time"

	"codeberg.org/maillage/maillage/internal/i18n"
	template "codeberg.org/maillage/maillage/internal/web/webkit/tmpl/htmltemplate"
)

//go:embed templates/*.html
var templateFS embed.FS

// funcs are the helpers templates may call, bound to the page's
// language: the engine (tmpl/texttemplate) calls no methods, so what a
// method of Page did ({{.T "key"}}) is a function ({{t "key"}}), and a
// page is parsed once per language. order is the page's fields' order,
// known once it is parsed (ordered).
func funcs(tr *i18n.Bundle, lang string, order *[]string) template.FuncMap {
	return template.FuncMap{
		"list": func(xs ...string) []string { return xs },
		"km": func(d *float64) string {
			if d == nil {
				return ""
			}
			return strconv.FormatFloat(*d, 'f', 0, 64)
		},
		// t is the interface text of key ({{t "key" arg}}).
		"t": func(key string, args ...any) string { return tr.T(lang, key, args...) },
		// date is a day, "3 mai 2027" ({{date .Deadline}}), for a
		// time.Time or a *time.Time ("" for nil).
		"date": func(t any) string {
			switch t := t.(type) {
			case time.Time:
				return tr.Date(lang, t)
			case *time.Time:
				if t != nil {
					return tr.Date(lang, *t)
				}
			}
			return ""
		},
		// formatTime and isZero are time.Time's Format and IsZero.
		"formatTime": func(t time.Time, layout string) string { return t.Format(layout) },
		"isZero":     func(t time.Time) bool { return t.IsZero() },
		// withData is the page with v as its Data, for a partial that
		// needs the page and a value of its own
		// ({{template "x" (withData $ .Item)}}).
		"withData": func(d Page, v any) Page {
			d.Data = v
			return d
		},
		// ordered lists a form's problems in the order of its fields
		// ({{range ordered .Data.Errs}}).
		"ordered": func(errs FieldErrors) []FieldError { return ordered(tr, lang, *order, errs) },
		// attrs, described and errFor are FieldErrors' ({{attrs $e "name"}}).
		"attrs":     FieldErrors.Attrs,
		"described": FieldErrors.Described,
		"errFor":    FieldErrors.For,
	}
}

// Parse registers each named page (templates/name.html) with the layout
// and the partials (file names under templates/). A page is parsed on its
// first Render in a language, not at start: parsing every page's layout
// and partials was most of an instance's start time (34 of 47 ms) and
// 2.1 MB of its idle heap, for pages an instance may never show. Files
// that do not exist are refused here; TestTemplatesParse parses them all.
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
		p := &page{name: name, files: files, langs: map[string]*parsed{}}
		for _, l := range i18n.Languages {
			p.langs[l] = &parsed{}
		}
		k.pages[name] = p
	}
	return nil
}

// page is a page's files and its templates, one per language, each
// parsed on first use.
type page struct {
	name  string
	files []string
	langs map[string]*parsed // by i18n.Languages
}

// parsed is a page's template in one language, and its fields' order.
type parsed struct {
	once  sync.Once
	t     *template.Template
	order []string // the ids of the page's fields, in order (fieldOrder); set with t
	err   error
}

// template parses the page in lang on its first call; after it returns,
// the parsed order is set too.
func (p *page) template(tr *i18n.Bundle, lang string) (*parsed, error) {
	pl, ok := p.langs[lang]
	if !ok {
		return nil, fmt.Errorf("webkit: template %s: no language %q", p.name, lang)
	}
	pl.once.Do(func() {
		pl.t, pl.err = template.New(p.name).Funcs(funcs(tr, lang, &pl.order)).ParseFS(templateFS, p.files...)
		if pl.err != nil {
			pl.err = fmt.Errorf("webkit: parse template %s: %w", p.name, pl.err)
			return
		}
		pl.order = fieldOrder(pl.t)
	})
	return pl, pl.err
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
}

// Render executes a page into a buffer first, so that an error never
// leaves half a page. The language is picked from the request.
func (k *Kit) Render(w http.ResponseWriter, r *http.Request, status int, name string, d Page) {
	d.Host = k.uris.Host()
	d.Lang, d.Path = k.tr.Pick(r), r.URL.Path
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
	pl, err := p.template(k.tr, d.Lang)
	if err == nil {
		err = pl.t.ExecuteTemplate(&buf, "layout", d)
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
