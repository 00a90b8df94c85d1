package outbox

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// metrics are the outbox's Prometheus series. They always exist, so the
// worker need not check; they are only registered when a Registerer is given.
type metrics struct {
	delivered    *prometheus.CounterVec
	deduplicated *prometheus.CounterVec
	failed       *prometheus.CounterVec
	rateLimited  *prometheus.CounterVec
	latency      *prometheus.HistogramVec
}

func newMetrics(reg prometheus.Registerer) (*metrics, error) {
	m := &metrics{
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_outbox_delivered_total",
			Help: "Outbox messages posted (or updated) in Slack, by kind.",
		}, []string{"kind"}),
		deduplicated: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_outbox_deduplicated_total",
			Help: "Outbox jobs run again that found their message already in Slack and did not post it twice, by kind.",
		}, []string{"kind"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_outbox_failed_total",
			Help: "Outbox messages given up on, by kind and reason (a Slack error code, or attempts_exhausted).",
		}, []string{"kind", "reason"}),
		rateLimited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_outbox_rate_limited_total",
			Help: "Slack 429 answers to outbox calls, each snoozed for its Retry-After, by kind.",
		}, []string{"kind"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "salesbot_outbox_delivery_latency_seconds",
			Help:    "Time from enqueue (job creation) to Slack accepting the post, by kind.",
			Buckets: []float64{.05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300, 1800},
		}, []string{"kind"}),
	}
	if reg == nil {
		return m, nil
	}
	var errs []error
	for _, c := range []prometheus.Collector{m.delivered, m.deduplicated, m.failed, m.rateLimited, m.latency} {
		errs = append(errs, reg.Register(c))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, fmt.Errorf("outbox: register metrics: %w", err)
	}
	return m, nil
}
