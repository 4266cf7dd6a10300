package importer

import (
	"net/url"
	"regexp"
	"strings"
)

// Personal data rules.
//
// E-mail: an address becomes a public contact only when it is a role
// address (contact@, info@, bonjour@...) on the organisation's own website
// domain. A webmail address, a name-like local part (marie.dupont@) or an
// address on another domain may belong to a person, and GoGoCarto itself
// shows element e-mails to the public only as "hidden": publishing them
// would publish what the source kept back.
//
// Telephone: every number is dropped. No format we import marks a number
// as an organisation's switchboard, and on maps of small associations the
// number given is often a volunteer's mobile; the organisation adds its own
// number once it claims its entry.

// placeholder reports whether v is a value GoGoCarto and similar maps put
// in place of a withheld one.
func placeholder(v string) bool {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "hidden", "private", "masqué", "masque", "caché", "cache", "null", "n/a":
		return true
	}
	return false
}

// roleLocals are local parts that name a function, not a person.
var roleLocals = map[string]bool{
	"contact": true, "info": true, "infos": true, "information": true, "bonjour": true, "hello": true,
	"hallo": true, "hola": true, "ciao": true, "salut": true, "accueil": true, "secretariat": true,
	"office": true, "admin": true, "association": true, "asso": true, "coop": true, "cooperative": true,
	"communication": true, "presse": true, "press": true, "kontakt": true, "post": true, "mail": true,
	"courrier": true, "welcome": true, "team": true, "equipe": true, "general": true, "direction": true,
	"benevoles": true, "adhesion": true, "membres": true, "boutique": true, "magasin": true, "shop": true,
}

// webmail are mailbox providers: an address there is personal whatever its
// local part.
var webmail = map[string]bool{
	"gmail.com": true, "googlemail.com": true, "yahoo.fr": true, "yahoo.com": true, "hotmail.fr": true,
	"hotmail.com": true, "outlook.fr": true, "outlook.com": true, "live.fr": true, "live.com": true,
	"msn.com": true, "orange.fr": true, "wanadoo.fr": true, "free.fr": true, "laposte.net": true,
	"sfr.fr": true, "neuf.fr": true, "bbox.fr": true, "aol.com": true, "icloud.com": true, "me.com": true,
	"gmx.fr": true, "gmx.de": true, "gmx.net": true, "web.de": true, "t-online.de": true,
	"protonmail.com": true, "proton.me": true, "riseup.net": true, "posteo.de": true, "mailo.com": true,
	"libero.it": true, "telenet.be": true, "skynet.be": true, "yandex.com": true, "zoho.com": true,
}

// PublicEmail returns addr if it may be shown publicly for an organisation
// whose website is website, else "". See the rules above.
func PublicEmail(addr, website string) string {
	addr = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(addr), "mailto:")))
	local, domain, ok := strings.Cut(addr, "@")
	if !ok || local == "" || strings.ContainsAny(domain, "@ /") || !strings.Contains(domain, ".") {
		return ""
	}
	if webmail[domain] || !roleLocals[local] {
		return ""
	}
	host := websiteHost(website)
	if host == "" || webmail[host] {
		return ""
	}
	if host == domain || strings.HasSuffix(host, "."+domain) || strings.HasSuffix(domain, "."+host) {
		return addr
	}
	return ""
}

// websiteHost is the lower-case host of a website URL without "www.", or
// "" if it is not an http(s) URL.
func websiteHost(website string) string {
	w := strings.TrimSpace(website)
	if w == "" {
		return ""
	}
	if !strings.Contains(w, "://") {
		w = "http://" + w
	}
	u, err := url.Parse(w)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" {
		return ""
	}
	return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
}

// normalWebsite returns an absolute http(s) URL for w ("example.org"
// becomes "https://example.org"), or "" if w is not one or contains an
// e-mail address.
func normalWebsite(w string) string {
	w = strings.TrimSpace(w)
	if w == "" || placeholder(w) || strings.Contains(w, "@") || strings.ContainsAny(w, " \t\r\n") {
		return ""
	}
	if !strings.Contains(w, "://") {
		w = "https://" + w
	}
	u, err := url.Parse(w)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Hostname() == "" || !strings.Contains(u.Hostname(), ".") {
		return ""
	}
	return u.String()
}

var (
	emailInText = regexp.MustCompile(`[\p{L}\p{N}._%+'-]+\s*(?:@|＠|\(at\)|\[at\])\s*[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`)
	// A European phone number: + and a country code, or a 0 trunk prefix,
	// then at least 8 more digits in groups.
	phoneInText = regexp.MustCompile(`(?:\+|00)\d{1,3}[\s.\-/]?(?:\(0\)[\s.\-/]?)?\d(?:[\s.\-/]?\d){6,12}|\b0\d(?:[\s.\-/]?\d){7,10}\b`)
)

// scrubText replaces e-mail addresses and phone numbers found in free text
// and reports whether it did.
func scrubText(s string) (string, bool) {
	if s == "" {
		return s, false
	}
	// Cheap tests first: the regular expressions cost most of a parse.
	out := s
	if strings.ContainsAny(s, "@＠") || strings.Contains(s, "at)") || strings.Contains(s, "at]") {
		out = emailInText.ReplaceAllString(out, "[e-mail removed]")
	}
	if digits := strings.Count(out, "0") + strings.Count(out, "+"); digits > 0 && countDigits(out) >= 9 {
		out = phoneInText.ReplaceAllString(out, "[phone removed]")
	}
	return out, out != s
}

func countDigits(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			n++
		}
	}
	return n
}
