// Package metrics holds the Prometheus metrics of one instance on a registry
// of its own (never the client library's global default one, since several
// instances run in one test process): HTTP requests by route pattern,
// inbox activities, delivery outcomes, and the queue and store gauges read
// at scrape time. A nil *Metrics is valid and records nothing.
package metrics
