package cli

import (
	"flag"
	"fmt"
	"strconv"
	"strings"

	"codeberg.org/maillage/maillage/internal/service"
)

// patch is the JSON merge patch (RFC 7396) of the flags set on the command
// line (flag.Visit), keyed as service.ObjectInput: a flag not given is
// absent and keeps its value; an empty date clears it (null). The place
// flags patch the location's own fields, so -place alone keeps its
// country and coordinates.
func (f objectFlags) patch(fs *flag.FlagSet) (map[string]any, error) {
	p, loc := map[string]any{}, map[string]any{}
	var err error
	fs.Visit(func(fl *flag.Flag) {
		v := fl.Value.String()
		switch fl.Name {
		case "title", "summary", "text", "status", "kind":
			p[fl.Name] = v
		case "sectors":
			p["sectors"] = nonNil(splitList(v))
		case "roles":
			p["partner_roles"] = nonNil(splitList(v))
		case "start", "end", "deadline":
			key := map[string]string{"start": "start_time", "end": "end_time", "deadline": "deadline"}[fl.Name]
			p[key] = nil
			if v != "" {
				if _, e := service.ParseTime(v); e != nil && err == nil {
					err = fmt.Errorf("-%s: %w", fl.Name, e)
				}
				p[key] = v
			}
		case "place":
			loc["name"] = v
		case "country":
			loc["country"] = strings.ToUpper(v)
		case "lat", "lon":
			key := map[string]string{"lat": "latitude", "lon": "longitude"}[fl.Name]
			n, e := strconv.ParseFloat(v, 64)
			if e != nil && err == nil {
				err = fmt.Errorf("-%s must be a number", fl.Name)
			}
			loc[key] = n
		}
	})
	if len(loc) > 0 {
		p["location"] = loc
	}
	return p, err
}

// nonNil makes an empty list a JSON [] rather than null.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}
