// Package loadgen drives open-loop load for benchmarks and summarises what
// it measured: requests go out on a fixed schedule whether or not earlier
// ones were answered, latencies are reduced to percentiles, and the resident
// memory of a process is read from /proc.
//
// It only measures and reports; targets are judged by whoever reads the
// benchmark output, never asserted, because timings on a shared machine are
// not reliable enough to fail a build on.
package loadgen

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Schedule is what Pace did: how long sending took and how far behind the
// schedule the sender fell.
type Schedule struct {
	Sent    int           // calls of send that ran
	Elapsed time.Duration // from the first scheduled send to the return of the last one
	MaxLag  time.Duration // the latest any send started, compared with its slot
}

// Rate is the achieved send rate, per second.
func (s Schedule) Rate() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Sent) / s.Elapsed.Seconds()
}

// Pace calls send(i) for i in [0, n), send i at start + i/rate, from one
// goroutine. A send that falls behind its slot is not skipped: the following
// ones go out at once until the sender is back on schedule (open loop), and
// MaxLag says how late it got, so a slow sender cannot hide queueing from
// the figures. It stops early when ctx ends or send returns an error.
func Pace(ctx context.Context, rate float64, n int, send func(i int) error) (Schedule, error) {
	if rate <= 0 {
		return Schedule{}, fmt.Errorf("loadgen: rate must be positive, got %v", rate)
	}
	interval := time.Duration(float64(time.Second) / rate)
	var s Schedule
	start := time.Now()
	for i := range n {
		slot := start.Add(time.Duration(i) * interval)
		if wait := time.Until(slot); wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
				t.Stop()
				s.Elapsed = time.Since(start)
				return s, ctx.Err()
			case <-t.C:
			}
		}
		s.MaxLag = max(s.MaxLag, time.Since(slot))
		if err := send(i); err != nil {
			s.Elapsed = time.Since(start)
			return s, err
		}
		s.Sent++
	}
	s.Elapsed = time.Since(start)
	return s, nil
}

// Latencies summarises a set of durations.
type Latencies struct {
	N             int
	P50, P99, Max time.Duration
	Over          int // how many exceeded the threshold given to Summarize
}

// Summarize sorts ds in place and returns its median, 99th percentile
// (nearest rank), maximum, and the number of durations above over (0 = none
// counted).
func Summarize(ds []time.Duration, over time.Duration) Latencies {
	slices.Sort(ds)
	l := Latencies{N: len(ds), P50: Quantile(ds, 0.50), P99: Quantile(ds, 0.99)}
	if len(ds) > 0 {
		l.Max = ds[len(ds)-1]
	}
	if over > 0 {
		for _, d := range ds {
			if d > over {
				l.Over++
			}
		}
	}
	return l
}

// Quantile returns the q-quantile (0 < q <= 1) of sorted by the nearest-rank
// method: the smallest value with at least q of the values at or below it.
func Quantile(sorted []time.Duration, q float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(math.Ceil(q * float64(len(sorted))))
	return sorted[min(max(rank, 1), len(sorted))-1]
}

// Report adds p50, p99 and max in milliseconds to the benchmark, as
// <prefix>p50_ms and so on.
func (l Latencies) Report(b *testing.B, prefix string) {
	b.ReportMetric(Millis(l.P50), prefix+"p50_ms")
	b.ReportMetric(Millis(l.P99), prefix+"p99_ms")
	b.ReportMetric(Millis(l.Max), prefix+"max_ms")
}

// Millis is d in (fractional) milliseconds.
func Millis(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// Memory is a process's resident set, from /proc/<pid>/status.
type Memory struct {
	RSS  uint64 // VmRSS: resident now, bytes
	Peak uint64 // VmHWM: the most that was ever resident, bytes
}

// MB is bytes in mebibytes.
func MB(bytes uint64) float64 { return float64(bytes) / (1 << 20) }

// ReadMemory reads the resident set of process pid, 0 meaning this process.
// It works on Linux only; elsewhere it returns an error.
func ReadMemory(pid int) (Memory, error) {
	path := "/proc/self/status"
	if pid != 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/status"
	}
	f, err := os.Open(path)
	if err != nil {
		return Memory{}, fmt.Errorf("loadgen: resident memory: %w", err)
	}
	defer f.Close()
	return parseStatus(f, path)
}

// parseStatus reads VmRSS and VmHWM from the text of a /proc status file.
func parseStatus(r io.Reader, name string) (Memory, error) {
	var m Memory
	var found int
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		key, val, ok := strings.Cut(sc.Text(), ":")
		if !ok || (key != "VmRSS" && key != "VmHWM") {
			continue
		}
		n, err := parseKB(val)
		if err != nil {
			return Memory{}, fmt.Errorf("loadgen: %s in %s: %w", key, name, err)
		}
		if key == "VmRSS" {
			m.RSS = n
		} else {
			m.Peak = n
		}
		found++
	}
	if err := sc.Err(); err != nil {
		return Memory{}, fmt.Errorf("loadgen: read %s: %w", name, err)
	}
	if found < 2 {
		return Memory{}, fmt.Errorf("loadgen: no VmRSS and VmHWM in %s", name)
	}
	return m, nil
}

// parseKB reads "   1234 kB" as bytes.
func parseKB(s string) (uint64, error) {
	num, unit, _ := strings.Cut(strings.TrimSpace(s), " ")
	if unit != "kB" {
		return 0, fmt.Errorf("unexpected unit %q", unit)
	}
	n, err := strconv.ParseUint(num, 10, 64)
	if err != nil {
		return 0, err
	}
	return n << 10, nil
}

// clockTick is the unit of CPU times in /proc: USER_HZ, 100 on every Linux
// architecture Go supports.
const clockTick = 10 * time.Millisecond

// ProcessCPU is the user and system CPU time process pid (0 meaning this
// process) has used so far, from /proc/<pid>/stat, to the nearest 10 ms.
func ProcessCPU(pid int) (time.Duration, error) {
	path := "/proc/self/stat"
	if pid != 0 {
		path = "/proc/" + strconv.Itoa(pid) + "/stat"
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, fmt.Errorf("loadgen: process CPU: %w", err)
	}
	return parseStat(string(data))
}

// parseStat reads utime and stime, fields 14 and 15 of a /proc stat line;
// the command name in field 2 may hold spaces and parentheses, so fields are
// counted from its closing parenthesis.
func parseStat(line string) (time.Duration, error) {
	i := strings.LastIndexByte(line, ')')
	if i < 0 {
		return 0, errors.New("loadgen: malformed /proc stat")
	}
	f := strings.Fields(line[i+1:]) // f[0] is field 3, the state
	if len(f) < 13 {
		return 0, errors.New("loadgen: short /proc stat")
	}
	var ticks uint64
	for _, s := range f[11:13] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("loadgen: /proc stat: %w", err)
		}
		ticks += n
	}
	return time.Duration(ticks) * clockTick, nil
}

// HostCPU is the machine's CPU time so far, in clock ticks over all cores,
// from the first line of /proc/stat.
type HostCPU struct {
	Busy, Total uint64
}

// ReadHostCPU reads /proc/stat.
func ReadHostCPU() (HostCPU, error) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return HostCPU{}, fmt.Errorf("loadgen: host CPU: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return parseHostCPU(line)
}

// parseHostCPU reads "cpu user nice system idle iowait irq softirq steal …".
// Idle and iowait are idle time; everything else, steal included (another
// tenant had the core), is busy.
func parseHostCPU(line string) (HostCPU, error) {
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return HostCPU{}, errors.New("loadgen: malformed /proc/stat")
	}
	var h HostCPU
	for i, s := range f[1:9] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return HostCPU{}, fmt.Errorf("loadgen: /proc/stat: %w", err)
		}
		h.Total += n
		if i != 3 && i != 4 { // idle, iowait
			h.Busy += n
		}
	}
	return h, nil
}

// BusyPercent is how busy the machine's cores were, on average, between h
// and a later reading: 100 means every core was busy all the time.
func (h HostCPU) BusyPercent(later HostCPU) float64 {
	total := later.Total - h.Total
	if total == 0 {
		return 0
	}
	return 100 * float64(later.Busy-h.Busy) / float64(total)
}

// Stopwatch measures elapsed time for a benchmark on the monotonic clock. It
// never gives a time of day: benchmarks time through it, and no test takes
// a date from the machine.
type Stopwatch struct{ start time.Time }

// StartStopwatch starts a Stopwatch now.
func StartStopwatch() Stopwatch { return Stopwatch{start: time.Now()} }

// Elapsed is the time since the start.
func (s Stopwatch) Elapsed() time.Duration { return time.Since(s.start) }

// Until is how long after the start t came: an instant stamped elsewhere in
// the process, such as when the fake Slack took a message.
func (s Stopwatch) Until(t time.Time) time.Duration { return t.Sub(s.start) }
