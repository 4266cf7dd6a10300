package demo

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"codeberg.org/maillage/maillage/internal/model"
	"codeberg.org/maillage/maillage/internal/service"
)

// describe gives instance i a name, summary and country, as its
// administrator would at /admin/instance, so that the network pages of
// the others have something to show; a description set by an earlier run
// (or by hand) is kept.
func (n *Network) describe(ctx context.Context, i int, in *Instance) error {
	inst, err := in.Server.Service.Org(ctx, model.InstanceName)
	if err != nil {
		return fmt.Errorf("demo: %s: %w", in.Host, err)
	}
	if inst.DisplayName != in.Host {
		return nil
	}
	var names, countries []string
	for _, so := range in.Orgs {
		names = append(names, so.Profile.DisplayName)
		if c := so.Profile.Country; c != "" && !slices.Contains(countries, c) {
			countries = append(countries, c)
		}
	}
	desc := service.InstanceInput{Name: fmt.Sprintf("maillage demo %d", i+1), Languages: []string{"fr", "en"},
		Summary: "Demo instance hosting " + strings.Join(names, ", ") + "."}
	if len(countries) == 1 {
		desc.Country = countries[0]
	}
	desc.Region = strings.Join(countries, ", ")
	if _, err := in.Server.Service.UpdateInstance(ctx, service.System("seed"), desc); err != nil {
		return fmt.Errorf("demo: %s: %w", in.Host, err)
	}
	return nil
}
