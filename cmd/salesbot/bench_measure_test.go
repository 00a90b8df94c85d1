package main

// Measurements the benchmarks of bench_test.go report besides latency:
// CPU use, salesbot's own ack histogram, the Go scheduler and memory.

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net/http"
	"runtime/metrics"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesbot/internal/loadgen"
)

// reportLoad reports the latencies of a load, how many took longer than
// Slack's deadline when overCounted, and the rate actually sent.
func reportLoad(b *testing.B, l loadgen.Latencies, sched loadgen.Schedule, overCounted bool) {
	b.ReportMetric(0, "ns/op")
	l.Report(b, "")
	if overCounted {
		b.ReportMetric(float64(l.Over), "over_3s")
	}
	b.ReportMetric(sched.Rate(), "sent/s")
	b.ReportMetric(loadgen.Millis(sched.MaxLag), "send_lag_ms")
}

// cpuMeter measures the CPU used by a process and by the whole machine
// over a stretch of load.
type cpuMeter struct {
	pid  int
	proc time.Duration
	host loadgen.HostCPU
	ok   bool
}

// cpuUse is what cpuMeters measured over one or more rounds of load.
type cpuUse struct {
	proc     time.Duration // CPU time of the measured process
	busy     float64       // sum over rounds of the machine's busy percentage
	rounds   int
	requests int
}

// startCPU starts measuring process pid (0: this one) and the machine.
func startCPU(pid int) cpuMeter {
	m := cpuMeter{pid: pid}
	var err1, err2 error
	m.proc, err1 = loadgen.ProcessCPU(pid)
	m.host, err2 = loadgen.ReadHostCPU()
	m.ok = err1 == nil && err2 == nil
	return m
}

// stop ends the measurement of a round of n requests.
func (m cpuMeter) stop(n int) cpuUse {
	proc, err1 := loadgen.ProcessCPU(m.pid)
	host, err2 := loadgen.ReadHostCPU()
	if !m.ok || err1 != nil || err2 != nil {
		return cpuUse{}
	}
	return cpuUse{proc: proc - m.proc, busy: m.host.BusyPercent(host), rounds: 1, requests: n}
}

func (u cpuUse) add(v cpuUse) cpuUse {
	return cpuUse{proc: u.proc + v.proc, busy: u.busy + v.busy, rounds: u.rounds + v.rounds, requests: u.requests + v.requests}
}

// report adds cpu_us/req, the measured process's CPU time per request, and
// host_busy_pct, how busy the machine's cores were meanwhile (from every
// process: a figure near 100 means the load, or something else running,
// saturated the machine, and latencies include waiting for a core).
func (u cpuUse) report(b *testing.B, prefix string) {
	if u.rounds == 0 || u.requests == 0 {
		return
	}
	b.ReportMetric(float64(u.proc.Microseconds())/float64(u.requests), prefix+"cpu_us/req")
	b.ReportMetric(u.busy/float64(u.rounds), prefix+"host_busy_pct")
}

// ackHistogram is salesbot's own ack latency histogram for one envelope
// type, scraped from /metrics: from reading an envelope off the socket to
// queueing its ack. Compared with the latency the fake measures, it tells
// the bot's share of the delay from the socket's, the scheduler's and the
// fake's.
type ackHistogram struct {
	bounds []float64 // bucket upper bounds, seconds, ascending
	counts []float64 // cumulative counts
	total  float64
}

// scrapeAckHistogram reads the salesbot_ack_latency_seconds series of
// envelope type typ from the ops server at addr.
func scrapeAckHistogram(ctx context.Context, addr, typ string) (ackHistogram, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+addr+"/metrics", nil)
	if err != nil {
		return ackHistogram{}, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return ackHistogram{}, err
	}
	defer resp.Body.Close()
	var h ackHistogram
	label := `type="` + typ + `"`
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "salesbot_ack_latency_seconds_") || !strings.Contains(line, label) {
			continue
		}
		series, value, _ := strings.Cut(line, "} ")
		v, err := strconv.ParseFloat(value, 64)
		if err != nil {
			return ackHistogram{}, fmt.Errorf("/metrics: %q: %w", line, err)
		}
		switch {
		case strings.HasPrefix(line, "salesbot_ack_latency_seconds_count"):
			h.total = v
		case strings.HasPrefix(line, "salesbot_ack_latency_seconds_bucket"):
			_, le, _ := strings.Cut(series, `le="`)
			le = strings.TrimSuffix(le, `"`)
			bound, err := strconv.ParseFloat(le, 64) // "+Inf" parses as +Inf
			if err != nil {
				return ackHistogram{}, fmt.Errorf("/metrics: %q: %w", line, err)
			}
			h.bounds, h.counts = append(h.bounds, bound), append(h.counts, v)
		}
	}
	return h, sc.Err()
}

// since is the histogram of the acks recorded after earlier.
func (h ackHistogram) since(earlier ackHistogram) ackHistogram {
	d := ackHistogram{bounds: h.bounds, counts: slices.Clone(h.counts), total: h.total - earlier.total}
	if len(earlier.counts) == len(h.counts) {
		for i := range d.counts {
			d.counts[i] -= earlier.counts[i]
		}
	}
	return d
}

// plus adds the counts of o, a histogram of the same buckets (or empty).
func (h ackHistogram) plus(o ackHistogram) ackHistogram {
	if len(h.counts) == 0 {
		return ackHistogram{bounds: o.bounds, counts: slices.Clone(o.counts), total: o.total}
	}
	sum := ackHistogram{bounds: h.bounds, counts: slices.Clone(h.counts), total: h.total + o.total}
	for i := range min(len(sum.counts), len(o.counts)) {
		sum.counts[i] += o.counts[i]
	}
	return sum
}

// quantileBound is the upper bound of the bucket holding the q-quantile: the
// bot acked at least a fraction q of the envelopes within it.
func (h ackHistogram) quantileBound(q float64) float64 {
	for i, c := range h.counts {
		if h.total > 0 && c >= q*h.total {
			return h.bounds[i]
		}
	}
	return math.Inf(1)
}

// reportBotAck reports bot_ack_p99_le_ms, the bucket bound of salesbot's
// own p99 ack latency, for the acks recorded since before.
func reportBotAck(b *testing.B, after, before ackHistogram, prefix string) {
	d := after.since(before)
	if d.total == 0 {
		return
	}
	b.ReportMetric(d.quantileBound(0.99)*1000, prefix+"bot_ack_p99_le_ms")
}

// runtimeHists are this process's scheduling latencies (how long runnable
// goroutines waited for a core) and its GC cycles, from runtime/metrics.
type runtimeHists struct {
	sched    *metrics.Float64Histogram
	gcCycles uint64
}

func readRuntimeHists() runtimeHists {
	samples := []metrics.Sample{{Name: "/sched/latencies:seconds"}, {Name: "/gc/cycles/total:gc-cycles"}}
	metrics.Read(samples)
	var h runtimeHists
	if samples[0].Value.Kind() == metrics.KindFloat64Histogram {
		h.sched = samples[0].Value.Float64Histogram()
	}
	if samples[1].Value.Kind() == metrics.KindUint64 {
		h.gcCycles = samples[1].Value.Uint64()
	}
	return h
}

// since is what happened after earlier.
func (h runtimeHists) since(earlier runtimeHists) runtimeHists {
	d := runtimeHists{gcCycles: h.gcCycles - earlier.gcCycles}
	if h.sched != nil && earlier.sched != nil && len(h.sched.Counts) == len(earlier.sched.Counts) {
		d.sched = &metrics.Float64Histogram{Buckets: h.sched.Buckets, Counts: slices.Clone(h.sched.Counts)}
		for i := range d.sched.Counts {
			d.sched.Counts[i] -= earlier.sched.Counts[i]
		}
	}
	return d
}

// report adds sched_p99_ms, the 99th percentile of how long goroutines of
// this process (salesbot and the fake Slack) waited for a core once
// runnable, and gc_cycles, garbage collections during the benchmark.
func (h runtimeHists) report(b *testing.B) {
	b.ReportMetric(float64(h.gcCycles), "gc_cycles")
	if h.sched == nil {
		return
	}
	var total uint64
	for _, c := range h.sched.Counts {
		total += c
	}
	var seen uint64
	for i, c := range h.sched.Counts {
		seen += c
		if total > 0 && float64(seen) >= 0.99*float64(total) {
			b.ReportMetric(h.sched.Buckets[i+1]*1000, "sched_p99_ms") // the bucket's upper bound
			return
		}
	}
}

// reportMemory reports the resident memory of process pid (0: this one).
func reportMemory(b *testing.B, pid int, prefix string) {
	m, err := loadgen.ReadMemory(pid)
	if err != nil {
		b.Logf("no memory figures: %v", err)
		return
	}
	b.ReportMetric(loadgen.MB(m.RSS), prefix+"rss_MB")
	b.ReportMetric(loadgen.MB(m.Peak), prefix+"peak_rss_MB")
}
