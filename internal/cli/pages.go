package cli

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"strings"

	"codeberg.org/maillage/maillage/internal/wire"
)

// limitFlag adds -limit, the most entries a listing prints (0: all).
func limitFlag(fs *flag.FlagSet) *int {
	return fs.Int("limit", 0, "print at most this many entries (0: all, following every page)")
}

// list prints a paginated listing as one JSON array, following the API's
// next links (wire.NextOf) until the last page or limit entries (0: no
// limit). Each page is printed before the next is asked for, so memory
// stays that of one page.
func (c *client) list(ctx context.Context, e *env, path string, limit int) error {
	if _, err := fmt.Fprint(e.stdout, "["); err != nil {
		return err
	}
	n := 0
	for path != "" && (limit == 0 || n < limit) {
		var page []json.RawMessage
		h, err := c.doHeader(ctx, "GET", path, nil, &page)
		if err != nil {
			return err
		}
		for _, item := range page {
			if limit > 0 && n == limit {
				break
			}
			if err := printItem(e, item, n == 0); err != nil {
				return err
			}
			n++
		}
		next := wire.NextOf(h.Get("Link"))
		if next != "" && (!strings.HasPrefix(next, "/") || next == path || len(page) == 0) {
			return fmt.Errorf("GET %s: unusable next page %q", path, next)
		}
		path = next
	}
	if n > 0 {
		_, err := fmt.Fprint(e.stdout, "\n]\n")
		return err
	}
	_, err := fmt.Fprint(e.stdout, "]\n")
	return err
}

// printItem prints one entry of the array as printJSON would inside it.
func printItem(e *env, item json.RawMessage, first bool) error {
	b, err := json.MarshalIndent(item, "  ", "  ")
	if err != nil {
		return err
	}
	sep := ",\n  "
	if first {
		sep = "\n  "
	}
	_, err = fmt.Fprint(e.stdout, sep, string(b))
	return err
}
