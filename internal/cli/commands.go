package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

func newFlags(e *env, name string) *flag.FlagSet {
	fs := flag.NewFlagSet("maillage "+name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	return fs
}

func runOrgs(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "orgs")
	mk := clientFlags(fs, e)
	limit := limitFlag(fs)
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	return c.list(ctx, e, "/api/v1/orgs", *limit)
}

func runOrgCreate(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "org-create")
	mk := clientFlags(fs, e)
	// The body apiCreateOrg decodes: the name and the service's input.
	var in struct {
		Name string `json:"name"`
		service.ProfileInput
	}
	fs.StringVar(&in.DisplayName, "display-name", "", "display name")
	fs.StringVar(&in.Summary, "summary", "", "short description")
	fs.StringVar(&in.Website, "website", "", "website")
	fs.StringVar(&in.Country, "country", "", "ISO country code")
	sectors := fs.String("sectors", "", "comma-separated sector slugs")
	fs.StringVar(&in.LegalForm, "legal-form", "", "legal form")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: maillage org-create NAME [flags]")
	}
	c, err := mk()
	if err != nil {
		return err
	}
	in.Name, in.Sectors = pos[0], splitList(*sectors)
	return c.show(ctx, e, "POST", "/api/v1/orgs", in)
}

// objectFlags are the fields of a project or call: those typed as the API
// takes them are decoded straight into the service's input, the others
// are parsed by input.
type objectFlags struct {
	in                                                                   *service.ObjectInput
	kind, sectors, place, country, lat, lon, start, end, deadline, roles *string
}

func addObjectFlags(fs *flag.FlagSet) objectFlags {
	in := new(service.ObjectInput)
	fs.StringVar(&in.Title, "title", "", "title")
	fs.StringVar(&in.Summary, "summary", "", "one-sentence pitch")
	fs.StringVar(&in.Text, "text", "", "description (plain text; blank lines separate paragraphs)")
	fs.StringVar(&in.Status, "status", "", "status (project: idea, planning, active...; call: open, filled, closed...)")
	return objectFlags{
		in:       in,
		kind:     fs.String("kind", "project", "project or call"),
		sectors:  fs.String("sectors", "", "1 to 3 comma-separated sector slugs, e.g. energy,mobility"),
		place:    fs.String("place", "", "place name"),
		country:  fs.String("country", "", "ISO country code of the place"),
		lat:      fs.String("lat", "", "latitude"),
		lon:      fs.String("lon", "", "longitude"),
		start:    fs.String("start", "", "start date YYYY-MM-DD"),
		end:      fs.String("end", "", "end date YYYY-MM-DD"),
		deadline: fs.String("deadline", "", "call: response deadline YYYY-MM-DD or RFC 3339"),
		roles:    fs.String("roles", "", "call: comma-separated partner roles sought"),
	}
}

func (f objectFlags) input() (service.ObjectInput, error) {
	in := *f.in
	in.Kind, in.Sectors, in.PartnerRoles = model.Kind(*f.kind), splitList(*f.sectors), splitList(*f.roles)
	if *f.place != "" || *f.country != "" || *f.lat != "" {
		in.Location = &model.Place{Name: *f.place, Country: strings.ToUpper(*f.country)}
		if *f.lat != "" || *f.lon != "" {
			lat, err1 := strconv.ParseFloat(*f.lat, 64)
			lon, err2 := strconv.ParseFloat(*f.lon, 64)
			if err1 != nil || err2 != nil {
				return in, fmt.Errorf("-lat and -lon must be numbers")
			}
			in.Location.Latitude, in.Location.Longitude = &lat, &lon
		}
	}
	for _, d := range []struct {
		s   string
		dst **service.TimeValue
	}{{*f.start, &in.StartTime}, {*f.end, &in.EndTime}, {*f.deadline, &in.Deadline}} {
		if d.s == "" {
			continue
		}
		t, err := service.ParseTime(d.s)
		if err != nil {
			return in, err
		}
		*d.dst = service.Time(t)
	}
	return in, nil
}

func runPublish(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "publish")
	mk := clientFlags(fs, e)
	org := fs.String("org", envOr(e, "MAILLAGE_ORG", "coop"), "organisation (env MAILLAGE_ORG)")
	of := addObjectFlags(fs)
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	in, err := of.input()
	if err != nil {
		return err
	}
	var out model.Object
	if err := c.do(ctx, "POST", "/api/v1/orgs/"+url.PathEscape(*org)+"/objects", in, &out); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, out.ID)
	return nil
}

// runEdit changes only the fields given as flags: it sends them as a
// merge patch, which the instance applies to the object's current fields.
func runEdit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "edit")
	mk := clientFlags(fs, e)
	id := fs.String("id", "", "id (IRI) of the project or call")
	of := addObjectFlags(fs)
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	path, err := c.apiPath(*id)
	if err != nil {
		return err
	}
	patch, err := of.patch(fs)
	if err != nil {
		return err
	}
	if len(patch) == 0 {
		return errors.New("edit: no field to change (see maillage edit -h)")
	}
	var out model.Object
	if err := c.do(ctx, "PATCH", path, patch, &out); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, out.ID)
	return nil
}

func runDelete(ctx context.Context, e *env, args []string) error {
	return runOnObject(ctx, e, args, "delete", "DELETE", "")
}

func runReplies(ctx context.Context, e *env, args []string) error {
	return runOnObject(ctx, e, args, "replies", "GET", "/replies")
}

func runOnObject(ctx context.Context, e *env, args []string, name, method, suffix string) error {
	fs := newFlags(e, name)
	mk := clientFlags(fs, e)
	id := fs.String("id", "", "id (IRI) of the project or call")
	var limit *int
	if method == "GET" {
		limit = limitFlag(fs)
	}
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	path, err := c.apiPath(*id)
	if err != nil {
		return err
	}
	if limit != nil {
		return c.list(ctx, e, path+suffix, *limit)
	}
	return c.show(ctx, e, method, path+suffix, nil)
}

func runObjects(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "objects")
	mk := clientFlags(fs, e)
	org := fs.String("org", "", "local organisation")
	actor := fs.String("actor", "", "or any actor IRI (remote content this instance holds)")
	limit := limitFlag(fs)
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	path := "/api/v1/objects?actor=" + url.QueryEscape(*actor)
	if *org != "" {
		path = "/api/v1/orgs/" + url.PathEscape(*org) + "/objects"
	}
	return c.list(ctx, e, path, *limit)
}

func runFollow(ctx context.Context, e *env, args []string) error {
	return runTarget(ctx, e, args, "follow")
}
func runUnfollow(ctx context.Context, e *env, args []string) error {
	return runTarget(ctx, e, args, "unfollow")
}

func runTarget(ctx context.Context, e *env, args []string, verb string) error {
	fs := newFlags(e, verb)
	mk := clientFlags(fs, e)
	org := fs.String("org", envOr(e, "MAILLAGE_ORG", "coop"), "local organisation, or 'instance' for the instance actor")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return fmt.Errorf("usage: maillage %s [-org NAME] name@host | actor URL | host", verb)
	}
	c, err := mk()
	if err != nil {
		return err
	}
	return c.show(ctx, e, "POST", "/api/v1/orgs/"+url.PathEscape(*org)+"/"+verb, map[string]string{"target": pos[0]})
}

func runFollowers(ctx context.Context, e *env, args []string) error {
	return runList(ctx, e, args, "followers")
}
func runFollowing(ctx context.Context, e *env, args []string) error {
	return runList(ctx, e, args, "following")
}

func runList(ctx context.Context, e *env, args []string, what string) error {
	fs := newFlags(e, what)
	mk := clientFlags(fs, e)
	org := fs.String("org", envOr(e, "MAILLAGE_ORG", "coop"), "local organisation, or 'instance'")
	limit := limitFlag(fs)
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	return c.list(ctx, e, "/api/v1/orgs/"+url.PathEscape(*org)+"/"+what, *limit)
}

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

func runReply(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "reply")
	mk := clientFlags(fs, e)
	org := fs.String("org", envOr(e, "MAILLAGE_ORG", "coop"), "organisation that answers (env MAILLAGE_ORG)")
	id := fs.String("id", "", "id (IRI) of the project or call answered")
	text := fs.String("text", "", "the answer")
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	var out model.Reply
	if err := c.do(ctx, "POST", "/api/v1/orgs/"+url.PathEscape(*org)+"/replies", map[string]string{"in_reply_to": *id, "text": *text}, &out); err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, out.ID)
	return nil
}
