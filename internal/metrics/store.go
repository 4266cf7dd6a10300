package metrics

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// storeCollector reads the queue and store figures once per scrape, in one
// call, rather than one GaugeFunc each.
type storeCollector struct {
	stats                     func() (StoreStats, error)
	now                       func() time.Time
	depth, oldestAge, sizeOut *prometheus.Desc
}

func newStoreCollector(stats func() (StoreStats, error), now func() time.Time) *storeCollector {
	return &storeCollector{stats: stats, now: now,
		depth: prometheus.NewDesc("maillage_delivery_queue_depth",
			"Deliveries waiting in the queue (due or scheduled for a retry).", nil, nil),
		oldestAge: prometheus.NewDesc("maillage_delivery_queue_oldest_age_seconds",
			"Age of the oldest queued delivery; 0 when the queue is empty.", nil, nil),
		sizeOut: prometheus.NewDesc("maillage_store_size_bytes",
			"Size of the bbolt database (the pages in use), in bytes.", nil, nil),
	}
}

// Describe implements prometheus.Collector.
func (c *storeCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- c.depth
	ch <- c.oldestAge
	ch <- c.sizeOut
}

// Collect implements prometheus.Collector.
func (c *storeCollector) Collect(ch chan<- prometheus.Metric) {
	s, err := c.stats()
	if err != nil {
		ch <- prometheus.NewInvalidMetric(c.depth, err)
		return
	}
	age := 0.0
	if !s.QueueOldest.IsZero() {
		age = max(c.now().Sub(s.QueueOldest).Seconds(), 0)
	}
	ch <- prometheus.MustNewConstMetric(c.depth, prometheus.GaugeValue, float64(s.QueueDepth))
	ch <- prometheus.MustNewConstMetric(c.oldestAge, prometheus.GaugeValue, age)
	ch <- prometheus.MustNewConstMetric(c.sizeOut, prometheus.GaugeValue, float64(s.SizeBytes))
}
