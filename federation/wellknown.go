package federation

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// writeJSON writes v with the given content type.
func writeJSON(w http.ResponseWriter, status int, contentType string, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Access-Control-Allow-Origin", "*")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// WebFinger answers acct:name@host and actor-IRI resources (RFC 7033), and
// the instance's base URL with the instance actor (FEP-d556). The self link
// type is exactly application/activity+json, which Mastodon compares as a
// string (app/lib/webfinger.rb).
func (f *Federation) WebFinger(w http.ResponseWriter, r *http.Request) {
	res := r.URL.Query().Get("resource")
	name, ok := "", false
	switch {
	case strings.HasPrefix(res, "acct:"):
		user, host, _ := strings.Cut(strings.TrimPrefix(res, "acct:"), "@")
		if strings.EqualFold(host, f.uris.Host()) && !strings.HasPrefix(user, model.PersonPrefix) {
			name, ok = strings.ToLower(user), true
			if !f.orgExists(name) {
				name = model.PersonName(name) // a member (names never collide)
			}
		}
	case res == f.uris.Base || res == f.uris.Base+"/":
		name, ok = model.InstanceName, true
	default:
		name, ok = f.uris.LocalActorName(res)
	}
	if res == "" {
		http.Error(w, "resource parameter required", http.StatusBadRequest)
		return
	}
	if !ok || !f.orgExists(name) {
		http.Error(w, "no such actor", http.StatusNotFound)
		return
	}
	actor := f.uris.Actor(name)
	handle := name
	if u, isPerson := model.PersonUsername(name); isPerson {
		handle = u
	}
	jrd := map[string]any{
		"subject": "acct:" + handle + "@" + f.uris.Host(),
		"aliases": []string{actor},
		"links": []any{
			map[string]any{"rel": "self", "type": ContentTypeAS, "href": actor},
			map[string]any{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": actor},
			// Where another server's "follow from your server" sends our
			// users, as Mastodon's template does (webfinger_serializer.rb).
			map[string]any{"rel": subscribeRel, "template": f.uris.Base + "/authorize_interaction?uri={uri}"},
		},
	}
	if name == model.InstanceName {
		jrd["links"] = append(jrd["links"].([]any),
			map[string]any{"rel": "https://www.w3.org/ns/activitystreams#Service", "type": ContentTypeAS, "href": actor})
	}
	writeJSON(w, http.StatusOK, contentTypeJRD, jrd)
}

func (f *Federation) orgExists(name string) bool {
	_, err := f.svc.Org(context.Background(), name)
	return err == nil
}

// HostMeta points to WebFinger (RFC 6415), for servers that look there first.
func (f *Federation) HostMeta(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/xrd+xml; charset=utf-8")
	fmt.Fprintf(w, `<?xml version="1.0" encoding="UTF-8"?>
<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">
  <Link rel="lrdd" template="%s/.well-known/webfinger?resource={uri}"/>
</XRD>
`, f.uris.Base)
}

// NodeInfoIndex lists the NodeInfo documents and, per FEP-2677, the
// instance actor.
func (f *Federation) NodeInfoIndex(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, "application/json", map[string]any{"links": []any{
		// 2.0 last: GoToSocial takes the last schema link and reads only 2.0
		// (found against a real GoToSocial, transport/derefinstance.go).
		map[string]any{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": f.uris.NodeInfo("2.1")},
		map[string]any{"rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": f.uris.NodeInfo("2.0")},
		map[string]any{"rel": nodeInfoApplicationRel, "href": f.uris.Actor(model.InstanceName)},
	}})
}

// NodeInfo serves NodeInfo 2.0 or 2.1 (the version is the last path element).
func (f *Federation) NodeInfo(w http.ResponseWriter, r *http.Request) {
	version := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
	if version != "2.0" && version != "2.1" {
		http.NotFound(w, r)
		return
	}
	in, err := f.svc.Instance(r.Context())
	if err != nil {
		f.log.Error("nodeinfo", "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	orgs := in.Orgs
	software := map[string]any{"name": "maillage", "version": f.version}
	if version == "2.1" {
		software["repository"] = "https://codeberg.org/maillage/maillage"
	}
	doc := map[string]any{
		"version":           version,
		"software":          software,
		"protocols":         []string{"activitypub"},
		"services":          map[string]any{"inbound": []string{}, "outbound": []string{}},
		"openRegistrations": false,
		"usage":             map[string]any{"users": map[string]any{"total": orgs, "activeMonth": orgs, "activeHalfyear": orgs}, "localPosts": in.Posts},
		"metadata":          nodeInfoMetadata(in, f.uris.Host()),
	}
	ct := `application/json; profile="http://nodeinfo.diaspora.software/ns/schema/` + version + `#"`
	writeJSON(w, http.StatusOK, ct, doc)
}

// NodeInfoMaillage is the key of maillage's own part of NodeInfo's
// metadata (FEDERATION.md, "NodeInfo").
const NodeInfoMaillage = "maillage"

// nodeInfoMetadata describes the instance with nodeName and
// nodeDescription, the keys the servers that fill metadata use (Mastodon's
// app/serializers/nodeinfo/serializer.rb leaves it empty), and maillage's
// description and counts under one key of its own, which no other
// software uses: the schema leaves metadata free.
func nodeInfoMetadata(in service.InstanceInfo, host string) map[string]any {
	name := in.Name
	if name == "" {
		name = host
	}
	langs := in.Languages
	if langs == nil {
		langs = []string{}
	}
	return map[string]any{
		"nodeName":        name,
		"nodeDescription": in.Summary,
		NodeInfoMaillage: map[string]any{
			"name": name, "summary": in.Summary, "languages": langs, "region": in.Region, "country": in.Country,
			"organisations": in.Orgs, "projects": in.Projects, "openCalls": in.OpenCalls,
		},
	}
}
