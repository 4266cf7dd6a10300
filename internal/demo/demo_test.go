package demo_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"codeberg.org/maillage/maillage/internal/demo"
	"codeberg.org/maillage/maillage/internal/directory"
	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/testenv"
)

// TestDemo runs the demo network on four instances and checks that every
// instance's directory lists every seed organisation, project and open
// call: its own as local, the others' as received from their instance.
func TestDemo(t *testing.T) {
	ctx, cancel := context.WithTimeout(t.Context(), 60*time.Second)
	defer cancel()
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	n, err := demo.Start(ctx, demo.Options{
		IPs:     []string{"127.0.0.60", "127.0.0.61", "127.0.0.62", "127.0.0.63"},
		Out:     &out,
		Log:     log,
		DataDir: t.TempDir(),
	})
	if err != nil {
		t.Fatalf("start: %v\n%s", err, &out)
	}
	defer func() {
		if err := n.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	}()
	if len(n.Instances) != 4 {
		t.Fatalf("%d instances, want 4", len(n.Instances))
	}
	if err := n.Settle(ctx); err != nil {
		t.Fatalf("settle: %v\n%s", err, &out)
	}
	for _, in := range n.Instances {
		var m string
		func() {
			defer func() {
				if m != "" {
					t.Logf("%s's directory: %s", in.Host, m)
				}
			}()
			testenv.WaitFor(t, 20*time.Second, in.Host+"'s directory to list the whole network", func() bool {
				m = missing(t, n, in)
				return m == ""
			})
		}()
	}

	n.Summary(&out)
	for _, want := range []string{n.Instances[0].Directory(), n.Instances[3].Handle(n.Instances[3].Orgs[0].Name),
		"username admin, password " + n.Password, "MAILLAGE_TOKEN=" + n.Instances[2].Token} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, &out)
		}
	}
	if n.Password == "" || n.Instances[1].Server.Service.CheckLogin(ctx, demo.Admin, n.Password) != nil {
		t.Errorf("cannot log in as %s with the printed password", demo.Admin)
	}
}

// missing says what in's directory lacks or gets wrong, or "" when it lists
// every seed organisation, project and open call with the right source.
func missing(t *testing.T, n *demo.Network, in *demo.Instance) string {
	orgs := entries(t, in, "kind=org")
	projects := entries(t, in, "kind=project")
	calls := entries(t, in, "kind=call&open=1")
	for _, owner := range n.Instances {
		for _, so := range owner.Orgs {
			org := owner.Actor(so.Name)
			if m := check(orgs, org, so.Profile.DisplayName, in, owner); m != "" {
				return m
			}
			for _, obj := range so.Objects {
				list := projects
				if obj.Kind == model.KindCall {
					list = calls
				}
				if m := check(list, org, obj.Title, in, owner); m != "" {
					return m
				}
			}
		}
	}
	return ""
}

// check finds the entry titled title by org in list, and checks that it
// is local on its owner's instance and comes from the owner elsewhere.
func check(list []directory.Entry, org, title string, in, owner *demo.Instance) string {
	for _, e := range list {
		if e.Org != org || e.Title != title {
			continue
		}
		if e.Local != (in == owner) || e.Source != owner.Host {
			return fmt.Sprintf("%q: local %t, source %s; want local %t, source %s", title, e.Local, e.Source, in == owner, owner.Host)
		}
		return ""
	}
	return fmt.Sprintf("no entry %q by %s", title, org)
}

func entries(t *testing.T, in *demo.Instance, filter string) []directory.Entry {
	t.Helper()
	resp, err := http.Get(in.Base + "/directory.json?per_page=100&" + filter)
	if err != nil {
		t.Fatalf("GET directory.json: %v", err)
	}
	defer resp.Body.Close()
	var page struct {
		Entries []directory.Entry `json:"entries"`
		Total   int               `json:"total"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET directory.json?%s: status %d, %v", filter, resp.StatusCode, err)
	}
	if page.Total > len(page.Entries) {
		t.Fatalf("directory.json?%s: %d entries of %d: raise per_page", filter, len(page.Entries), page.Total)
	}
	return page.Entries
}
