// Package i18n holds maillage's interface texts in French and English and
// picks the language of a request. Texts live in embedded JSON files,
// locales/<area>.<lang>.json ({"key": "text with %s verbs"}), one area per
// part of the interface so that each can grow on its own; every key must
// exist in every language (a test checks it).
package i18n

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"path"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
)

// Languages the interface is written in; the first is the fallback.
var Languages = []string{"en", "fr"}

//go:embed locales/*.json
var localeFS embed.FS

// Bundle is the loaded texts. It is read-only after Load, so safe for
// concurrent use.
type Bundle struct {
	texts   map[string]map[string]string // lang -> key -> text
	matcher language.Matcher
}

// Load reads every locales/*.<lang>.json file.
func Load() (*Bundle, error) {
	b := &Bundle{texts: map[string]map[string]string{}}
	tags := make([]language.Tag, len(Languages))
	for i, l := range Languages {
		b.texts[l] = map[string]string{}
		tags[i] = language.Make(l)
	}
	b.matcher = language.NewMatcher(tags)
	files, err := fs.Glob(localeFS, "locales/*.json")
	if err != nil {
		return nil, fmt.Errorf("i18n: %w", err)
	}
	for _, f := range files {
		parts := strings.Split(strings.TrimSuffix(path.Base(f), ".json"), ".")
		lang := parts[len(parts)-1]
		texts, ok := b.texts[lang]
		if !ok {
			return nil, fmt.Errorf("i18n: %s: unknown language %q", f, lang)
		}
		data, err := localeFS.ReadFile(f)
		if err != nil {
			return nil, fmt.Errorf("i18n: %w", err)
		}
		var m map[string]string
		if err := json.Unmarshal(data, &m); err != nil {
			return nil, fmt.Errorf("i18n: %s: %w", f, err)
		}
		for k, v := range m {
			if _, dup := texts[k]; dup {
				return nil, fmt.Errorf("i18n: %s: key %q defined twice", f, k)
			}
			texts[k] = v
		}
	}
	return b, nil
}

// T returns the text of key in lang, formatted with args; it falls back to
// English, then to the key itself (so a missing text shows, not breaks).
func (b *Bundle) T(lang, key string, args ...any) string {
	s, ok := b.texts[lang][key]
	if !ok {
		if s, ok = b.texts[Languages[0]][key]; !ok {
			s = key
		}
	}
	if len(args) > 0 {
		return fmt.Sprintf(s, args...)
	}
	return s
}

// Keys lists the keys known in lang (tests).
func (b *Bundle) Keys(lang string) []string {
	out := make([]string, 0, len(b.texts[lang]))
	for k := range b.texts[lang] {
		out = append(out, k)
	}
	return out
}

// CookieName holds a language chosen by hand.
const CookieName = "lang"

// Pick returns the language for a request: ?lang=, then the lang cookie,
// then Accept-Language, then English.
func (b *Bundle) Pick(r *http.Request) string {
	for _, v := range []string{r.URL.Query().Get("lang"), cookie(r)} {
		if _, ok := b.texts[v]; ok {
			return v
		}
	}
	tags, _, err := language.ParseAcceptLanguage(r.Header.Get("Accept-Language"))
	if err != nil || len(tags) == 0 {
		return Languages[0]
	}
	_, i, conf := b.matcher.Match(tags...)
	if conf == language.No {
		return Languages[0]
	}
	return Languages[i]
}

func cookie(r *http.Request) string {
	c, err := r.Cookie(CookieName)
	if err != nil {
		return ""
	}
	return c.Value
}

// Best picks, among the languages a content is available in, the one that
// suits the reader: lang itself, else the content's own language (first of
// available).
func Best(lang string, available []string) string {
	for _, a := range available {
		if a == lang || strings.HasPrefix(a, lang+"-") {
			return a
		}
	}
	if len(available) > 0 {
		return available[0]
	}
	return ""
}

// Date formats the day of t in lang, with the month's name: "3 May 2027",
// "3 mai 2027". It is the one date format of the interface's pages; t is
// shown in its own location (stored times are UTC).
func (b *Bundle) Date(lang string, t time.Time) string {
	return b.T(lang, "date.day", t.Day(), b.T(lang, "date.month."+strconv.Itoa(int(t.Month()))), t.Year())
}
