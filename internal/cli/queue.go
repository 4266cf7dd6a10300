package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"strconv"
	"text/tabwriter"
	"time"

	"codeberg.org/maillage/maillage/internal/wire"
)

// runQueue shows the delivery queue, failing hosts first, or retries or
// drops one delivery.
func runQueue(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "queue")
	mk := clientFlags(fs, e)
	retry := fs.Uint64("retry", 0, "make delivery `ID` due now")
	drop := fs.Uint64("drop", 0, "remove delivery `ID` from the queue without sending it")
	host := fs.String("host", "", "list only the deliveries to this host[:port]")
	limit := fs.Int("limit", 50, "deliveries to list")
	asJSON := fs.Bool("json", false, "print the API's JSON")
	c, err := parse(fs, mk, args)
	if err != nil {
		return err
	}
	switch {
	case fs.NArg() != 0 || (*retry != 0 && *drop != 0):
		return errors.New("usage: maillage queue [-retry ID | -drop ID] [-host HOST] [-limit N] [-json]")
	case *retry != 0:
		return c.show(ctx, e, "POST", "/api/v1/deliveries/"+strconv.FormatUint(*retry, 10)+"/retry", nil)
	case *drop != 0:
		return c.show(ctx, e, "DELETE", "/api/v1/deliveries/"+strconv.FormatUint(*drop, 10), nil)
	}
	q := url.Values{"limit": {strconv.Itoa(max(*limit, 1))}}
	if *host != "" {
		q.Set("host", *host)
	}
	var v wire.QueueView
	if err := c.do(ctx, "GET", "/api/v1/deliveries?"+q.Encode(), nil, &v); err != nil {
		return err
	}
	if *asJSON {
		return printJSON(e.stdout, v)
	}
	printQueue(e.stdout, v, time.Now())
	return nil
}

func printQueue(w io.Writer, v wire.QueueView, now time.Time) {
	if v.Total == 0 {
		fmt.Fprintln(w, "The delivery queue is empty.")
		return
	}
	noun := "deliveries"
	if v.Total == 1 {
		noun = "delivery"
	}
	fmt.Fprintf(w, "%d %s queued; the oldest was queued %s.\n", v.Total, noun, when(*v.Oldest, now))
	if len(v.Hosts) > 0 {
		fmt.Fprintln(w, "\nFailing hosts:")
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "HOST\tQUEUED\tFAILING\tNEXT RETRY\tLAST ERROR")
		for _, h := range v.Hosts {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\n", h.Host, h.Queued, h.Failing, when(h.NextRetry, now), h.LastError)
		}
		tw.Flush()
	}
	more := ""
	if v.Truncated {
		more = fmt.Sprintf(" (the first %d; -limit shows more)", len(v.Deliveries))
	}
	fmt.Fprintf(w, "\nDeliveries, next attempt first%s:\n", more)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tHOST\tATTEMPTS\tNEXT ATTEMPT\tLAST ERROR\tACTIVITY")
	for _, d := range v.Deliveries {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%s\t%s\t%s\n", d.ID, d.Host, d.Attempts, when(d.NextAttempt, now), d.LastError, d.ActivityID)
	}
	tw.Flush()
}

// when shows a time with how far it is from now, to the second.
func when(t, now time.Time) string {
	d := t.Sub(now).Round(time.Second)
	s := t.Local().Format("2006-01-02 15:04:05")
	switch {
	case d > 0:
		return s + " (in " + d.String() + ")"
	case d < 0:
		return s + " (" + (-d).String() + " ago)"
	}
	return s + " (now)"
}
