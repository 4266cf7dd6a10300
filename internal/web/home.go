package web

import (
	"net/http"
	"net/url"

	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
	"codeberg.org/maillage/maillage/internal/web/webkit"
	"codeberg.org/maillage/maillage/internal/wire"
)

// homeCalls is how many of the latest open calls the home page lists.
const homeCalls = 5

// homeOrgs is how many organisations the home page lists: an importing
// instance holds thousands, which the directory pages through.
const homeOrgs = 100

// SourceURL is where the software and its quick start are, for the
// cooperatives that would run their own instance.
const SourceURL = "https://codeberg.org/maillage/maillage#quick-start"

// landingView is the home page: what the instance is, whom it hosts, what the
// network it follows holds, the latest open calls, and a way in for each
// kind of visitor.
type landingView struct {
	Name, Summary string
	Orgs          []landingOrg
	// Hosted is how many organisations the instance hosts; More links to
	// them in the directory when Orgs does not list them all.
	Hosted int
	More   string
	// The directory's counts: every organisation, project and open call
	// this instance knows, its own and those it receives.
	NetOrgs, NetProjects, NetOpenCalls int
	Calls                              []directory.Entry
	SignupOpen, SignedIn               bool
	SourceURL                          string
}

// landingOrg is an organisation the instance hosts, with what it publishes.
type landingOrg struct {
	wire.Org
	Projects, OpenCalls int
}

func (h *Handler) showHome(w http.ResponseWriter, r *http.Request) {
	orgs, err := h.svc.OrgsPage(r.Context(), service.PageRequest{Limit: homeOrgs})
	if err != nil {
		webkit.WritePageError(w, h.log, err)
		return
	}
	now := h.now()
	v := landingView{SignupOpen: h.signupOpen, SourceURL: SourceURL, Hosted: len(orgs.Items)}
	if orgs.Next != "" {
		if _, n, err := h.svc.OrganisationNames(r.Context(), 0, 0); err == nil {
			v.Hosted = n
		}
		v.More = "/directory?" + url.Values{"kind": {"org"}, "source": {h.uris.Host()}}.Encode()
	}
	_, v.SignedIn = h.kit.SessionAccount(r)
	if inst, err := h.svc.Org(r.Context(), model.InstanceName); err == nil {
		v.Name = inst.DisplayName
		// The summary the instance actor is created with says nothing a
		// visitor needs; the page's own words do better until it is edited.
		if inst.Summary != "maillage instance at "+h.uris.Host() {
			v.Summary = inst.Summary
		}
	}
	if v.Name == "" {
		v.Name = h.uris.Host()
	}
	for _, o := range orgs.Items {
		objs, err := h.svc.ObjectsBy(r.Context(), h.uris.Actor(o.Name))
		if err != nil {
			webkit.WritePageError(w, h.log, err)
			return
		}
		ho := landingOrg{Org: h.kit.OrgView(o)}
		for _, obj := range objs {
			switch {
			case obj.Kind == model.KindProject:
				ho.Projects++
			case obj.Kind == model.KindCall && obj.CallState().IsOpen(now):
				ho.OpenCalls++
			}
		}
		v.Orgs = append(v.Orgs, ho)
	}
	all := h.dir.Counts(directory.Query{}, now)
	v.NetOrgs, v.NetProjects = all.Kinds[directory.KindOrg], all.Kinds[directory.KindProject]
	open := directory.Query{Kinds: []directory.Kind{directory.KindCall}, OpenOnly: true, Sort: directory.SortRecent, PerPage: homeCalls}
	v.NetOpenCalls = h.dir.Counts(open, now).Kinds[directory.KindCall]
	v.Calls = h.dir.Query(open, now).Entries
	h.kit.Render(w, r, http.StatusOK, "home", webkit.Page{Title: v.Name, Description: v.Summary, Data: v})
}
