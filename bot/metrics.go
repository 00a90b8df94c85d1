package bot

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the bot's Prometheus series, on a registry of their own so
// that tests can build as many bots as they like.
type Metrics struct {
	Registry   *prometheus.Registry
	envelopes  *prometheus.CounterVec
	commands   *prometheus.CounterVec
	ackLatency *prometheus.HistogramVec
	inFlight   prometheus.Gauge
	connected  prometheus.Gauge
	connects   prometheus.Counter
	busy       *prometheus.CounterVec
}

// NewMetrics registers the bot's series, and the Go and process collectors.
func NewMetrics() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		envelopes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_envelopes_total",
			Help: "Socket Mode envelopes handled, by type and outcome (ok, error, panic, busy).",
		}, []string{"type", "outcome"}),
		commands: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_commands_total",
			Help: "Slash commands handled, by command and outcome (ok, error, panic, busy).",
		}, []string{"command", "outcome"}),
		ackLatency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "salesbot_ack_latency_seconds",
			Help:    "Time from reading an envelope to queueing its ack, by envelope type.",
			Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5},
		}, []string{"type"}),
		inFlight: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "salesbot_handlers_in_flight",
			Help: "Envelope handlers still running (ack sent or not).",
		}),
		connected: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "salesbot_socket_connected",
			Help: "1 while the Socket Mode connection is up.",
		}),
		connects: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "salesbot_socket_connects_total",
			Help: "Socket Mode connections established, reconnects included.",
		}),
		busy: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "salesbot_busy_total",
			Help: "Requests refused because salesbot was overloaded (the person was told), by where: handler (too many envelopes in flight) or after_ack (no slot for slow work in time).",
		}, []string{"where"}),
	}
	for _, where := range []string{"handler", "after_ack"} {
		m.busy.WithLabelValues(where) // show zeros, so an alert can compare
	}
	m.Registry.MustRegister(m.envelopes, m.commands, m.ackLatency, m.inFlight, m.connected, m.connects, m.busy,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}
