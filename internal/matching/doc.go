// Package matching decides which members and organisations a call for
// partnership is for, from the interests they stated.
//
// Interests have four dimensions: sectors, countries, a circle around a
// place (Near) and the partner roles the subscriber's organisation can take.
// A call matches Interests at a time now when all of these hold:
//
//   - it is a call (model.KindCall), not a tombstone, and open at now
//     (model.CallState.IsOpen(now): expired, filled, closed and cancelled calls
//     never match, nor do projects and notes);
//   - the Interests state at least one dimension: empty Interests match
//     nothing;
//   - every stated dimension matches, and unstated ones are ignored:
//     sectors: the call lists at least one of the sectors;
//     roles: the call seeks at least one of the roles;
//     place (Countries or Near stated): the call's country
//     (Location.Country) is one of Countries, or its point
//     (Location.Latitude/Longitude) is within Near.RadiusKm of Near,
//     inclusive. A call without a country falls back on its
//     EligibleCountries: it matches the country side when they include one
//     of Countries;
//   - eligibility: when the call lists EligibleCountries and the Interests
//     state Countries, the two intersect (a call not open to your country is
//     not for you), whichever way the place matched.
//
// A call that lists no sectors or no roles does not match a sector or role
// criterion; a call without a point does not match a Near criterion.
// Country codes are ISO 3166-1 alpha-2, compared without regard to case;
// unknown sector and role slugs and malformed country codes never match.
//
// Interests.Matches checks one subscriber and is the reference for these
// rules. An Index holds many subscribers and answers the same question for
// all of them at once: each subscriber is filed under one dimension it
// stated (its countries and the grid cells its circle covers, else its
// sectors, else its roles), so a call only visits the subscribers filed
// under its own country, cell, sectors or roles, and each of those is then
// checked with bitmasks, a bounding box and, last, a haversine distance.
//
// The package does no I/O and holds no package-level state.
package matching
