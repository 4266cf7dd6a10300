package federation

import (
	"cmp"
	"context"
	"errors"
	"math"
	"regexp"
	"strings"

	"codeberg.org/maillage/maillage/federation/safehttp"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/sanitize"
	"codeberg.org/maillage/maillage/internal/uris"
)

// Limits of a NodeInfo read: real documents weigh about a kilobyte
// (Mastodon's, GoToSocial's, ours), so anything near these is hostile.
const (
	maxNodeInfoIndex = 16 << 10
	maxNodeInfoDoc   = 64 << 10
	maxPeerText      = 200  // name, region: characters kept
	maxPeerSummary   = 1000 // characters kept
	maxPeerCount     = 10_000_000
	maxPeerLanguages = 20
)

// Problems of a NodeInfo read (model.Peer.Problem).
const (
	PeerUnreachable = "unreachable" // network error or a status other than 200
	PeerRefused     = "refused"     // the address is private, loopback or otherwise not allowed
	PeerTooLarge    = "too_large"
	PeerInvalid     = "invalid" // not NodeInfo, or links to another origin
)

var (
	softwareName = regexp.MustCompile(`^[a-z0-9-]{1,64}$`) // the NodeInfo schema's pattern, bounded
	languageCode = regexp.MustCompile(`^[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$`)
)

// ReadNodeInfo reads the NodeInfo of the server at origin
// (scheme://host[:port]): its index, then the 2.1 document, else the 2.0
// one, both on that origin, through the guarded client (no private
// address unless allowed), each size-limited. What it returns is plain,
// bounded text and counts; a field of the wrong type is left empty, never
// trusted. On failure p.Problem says why.
func (c *Client) ReadNodeInfo(ctx context.Context, origin string) (p model.Peer) {
	index, _, err := c.fetchJSONMax(ctx, origin+"/.well-known/nodeinfo", "application/json", maxNodeInfoIndex)
	if err != nil {
		return model.Peer{Problem: peerProblem(err)}
	}
	var href20, href21 string
	links, _ := index["links"].([]any)
	for _, l := range links {
		lm, _ := l.(map[string]any)
		href := str(lm, "href")
		if !uris.SameOrigin(href, origin+"/") {
			continue // a link elsewhere would make this server speak for another
		}
		switch str(lm, "rel") {
		case "http://nodeinfo.diaspora.software/ns/schema/2.1":
			href21 = href
		case "http://nodeinfo.diaspora.software/ns/schema/2.0":
			href20 = href
		case nodeInfoApplicationRel:
			p.InstanceActor = href
		}
	}
	href := cmp.Or(href21, href20)
	if href == "" {
		return model.Peer{Problem: PeerInvalid}
	}
	doc, final, err := c.fetchJSONMax(ctx, href, "application/json", maxNodeInfoDoc)
	if err != nil {
		return model.Peer{Problem: peerProblem(err)}
	}
	if !uris.SameOrigin(final, origin+"/") {
		return model.Peer{Problem: PeerInvalid} // redirected elsewhere
	}
	sw, _ := doc["software"].(map[string]any)
	p.Software, p.Version = str(sw, "name"), peerText(str(sw, "version"), 64)
	if !softwareName.MatchString(p.Software) {
		return model.Peer{Problem: PeerInvalid}
	}
	meta, _ := doc["metadata"].(map[string]any)
	p.Name, p.Summary = peerText(str(meta, "nodeName"), maxPeerText), peerText(str(meta, "nodeDescription"), maxPeerSummary)
	if m, ok := meta[NodeInfoMaillage].(map[string]any); ok && p.Software == "maillage" {
		p.Maillage = true
		p.Name = cmp.Or(peerText(str(m, "name"), maxPeerText), p.Name)
		p.Summary = cmp.Or(peerText(str(m, "summary"), maxPeerSummary), p.Summary)
		p.Region = peerText(str(m, "region"), maxPeerText)
		if cc := strings.ToUpper(str(m, "country")); len(cc) == 2 && cc[0] >= 'A' && cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z' {
			p.Country = cc
		}
		for _, l := range strs(m["languages"]) {
			if len(p.Languages) < maxPeerLanguages && len(l) <= 35 && languageCode.MatchString(l) {
				p.Languages = append(p.Languages, l)
			}
		}
		p.Orgs, p.Projects, p.OpenCalls = peerCount(m["organisations"]), peerCount(m["projects"]), peerCount(m["openCalls"])
	} else if p.Software == "maillage" {
		p.Maillage = true // an older maillage, without its counts
	}
	if p.Name == "" {
		p.Name = uris.HostOf(origin)
	}
	return p
}

// peerText is remote text made plain, on one line and at most max
// characters.
func peerText(s string, max int) string {
	s = strings.Join(strings.Fields(sanitize.Text(clip(s))), " ")
	if r := []rune(s); len(r) > max {
		s = string(r[:max-1]) + "…"
	}
	return s
}

// peerCount reads a count: a whole, non-negative JSON number, capped; any
// other value is 0.
func peerCount(v any) int {
	f, ok := v.(float64)
	if !ok || f < 0 || f != math.Trunc(f) {
		return 0
	}
	return int(min(f, maxPeerCount))
}

func peerProblem(err error) string {
	switch {
	case errors.Is(err, safehttp.ErrForbiddenAddress):
		return PeerRefused
	case errors.Is(err, safehttp.ErrTooLarge):
		return PeerTooLarge
	case errors.Is(err, ErrMalformed):
		return PeerInvalid
	}
	return PeerUnreachable
}
