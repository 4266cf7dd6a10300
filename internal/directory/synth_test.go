package directory

import (
	"fmt"
	"math/rand/v2"
	"time"

	"codeberg.org/maillage/maillage/internal/model"
)

// city anchors synthetic entries of a country.
type city struct {
	country, name string
	lat, lon      float64
}

func cities() []city {
	return []city{
		{"FR", "Lyon", 45.76, 4.84}, {"FR", "Paris", 48.86, 2.35}, {"FR", "Nantes", 47.22, -1.55}, {"FR", "Marseille", 43.30, 5.37},
		{"BE", "Bruxelles", 50.85, 4.35}, {"DE", "Berlin", 52.52, 13.40}, {"IT", "Bologna", 44.49, 11.34}, {"ES", "Barcelona", 41.39, 2.17},
		{"PT", "Lisboa", 38.72, -9.14}, {"NL", "Utrecht", 52.09, 5.12}, {"LU", "Luxembourg", 49.61, 6.13}, {"CH", "Genève", 46.20, 6.14},
		{"AT", "Wien", 48.21, 16.37}, {"PL", "Kraków", 50.06, 19.94}, {"CZ", "Praha", 50.08, 14.44}, {"DK", "København", 55.68, 12.57},
		{"SE", "Malmö", 55.60, 13.00}, {"FI", "Tampere", 61.50, 23.76}, {"IE", "Cork", 51.90, -8.47}, {"GR", "Θεσσαλονίκη", 40.64, 22.94},
		{"RO", "Cluj-Napoca", 46.77, 23.59}, {"HU", "Pécs", 46.07, 18.23}, {"SI", "Ljubljana", 46.06, 14.51}, {"HR", "Zagreb", 45.81, 15.98},
		{"SK", "Košice", 48.72, 21.26}, {"EE", "Tartu", 58.38, 26.72}, {"LT", "Vilnius", 54.69, 25.28}, {"LV", "Rīga", 56.95, 24.11},
		{"BG", "Plovdiv", 42.14, 24.75}, {"MT", "Valletta", 35.90, 14.51}, {"SN", "Dakar", 14.72, -17.47}, {"CA", "Montréal", 45.50, -73.57},
	}
}

// synthEntries calls put with n deterministic pseudo-random entries: a
// third each organisations, projects and calls (most with a deadline
// within a year of now), every sector, 32 countries, 60% with a position.
func synthEntries(n int, now time.Time, put func(Entry)) {
	rng := rand.New(rand.NewPCG(2026, 4))
	places := cities()
	kinds := []string{"Coopérative", "Projet", "Atelier", "Réseau", "Épicerie solidaire", "Tiers-lieu", "Ressourcerie",
		"Genossenschaft", "Cooperativa", "Association", "Fabrique", "Collectif"}
	subjects := []string{"énergie citoyenne", "mobilité douce", "habitat participatif", "alimentation locale", "réemploi textile",
		"numérique responsable", "finance solidaire", "santé communautaire", "formation au numérique", "insertion par l'emploi",
		"vélo cargo", "circuits courts", "low-tech", "éolien partagé", "maraîchage bio", "logement abordable", "café associatif"}
	statuses := []string{"open", "open", "open", "open", "filled", "closed", "cancelled"}
	pick := func(list []string, k int) []string {
		out := make([]string, 0, k)
		for range k {
			out = append(out, list[rng.IntN(len(list))])
		}
		return out
	}
	var slugs []string
	for _, s := range model.Sectors {
		slugs = append(slugs, s.Slug)
	}
	const orgs = 10000
	for i := range n {
		c := places[rng.IntN(len(places))]
		org := rng.IntN(orgs)
		host := fmt.Sprintf("i%02d.example", org%50)
		orgIRI := fmt.Sprintf("https://%s/orgs/o%d", host, org)
		e := Entry{
			Org: orgIRI, OrgName: fmt.Sprintf("%s %s %d", kinds[org%len(kinds)], subjects[org%len(subjects)], org),
			Source: host, Local: org%50 == 0, Country: c.country, PlaceName: c.name,
			Title:     fmt.Sprintf("%s %s %s", kinds[rng.IntN(len(kinds))], subjects[rng.IntN(len(subjects))], c.name),
			Summary:   "Nous cherchons des partenaires pour " + subjects[rng.IntN(len(subjects))] + " et " + subjects[rng.IntN(len(subjects))],
			Sectors:   pick(slugs, 1+rng.IntN(3)),
			Published: now.Add(-time.Duration(rng.Int64N(int64(3 * 365 * 24 * time.Hour)))),
		}
		switch i % 3 {
		case 0:
			e.Kind, e.ID, e.Title, e.Website = KindOrg, fmt.Sprintf("%s-%d", orgIRI, i), e.OrgName, "https://"+host
		case 1:
			e.Kind, e.ID, e.Status = KindProject, fmt.Sprintf("%s/projects/%d", orgIRI, i), "active"
		default:
			e.Kind, e.ID, e.Status = KindCall, fmt.Sprintf("%s/calls/%d", orgIRI, i), statuses[rng.IntN(len(statuses))]
			e.PartnerRoles = pick(model.PartnerRoles, 1+rng.IntN(3))
			if rng.IntN(10) > 0 {
				e.Deadline = ptr(now.Add(time.Duration(rng.Int64N(int64(2*365*24*time.Hour))) - 365*24*time.Hour))
			}
		}
		if rng.IntN(10) < 6 {
			e = at(e, Point{c.lat + rng.Float64()*2 - 1, c.lon + rng.Float64()*2 - 1})
		}
		e.URL = e.ID
		put(e)
	}
}
