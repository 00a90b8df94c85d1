package loadgen

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

func TestQuantileIsNearestRank(t *testing.T) {
	var ds []time.Duration
	for i := 1; i <= 100; i++ {
		ds = append(ds, time.Duration(i)*time.Millisecond)
	}
	for _, tt := range []struct {
		q    float64
		want time.Duration
	}{{0.5, 50 * time.Millisecond}, {0.99, 99 * time.Millisecond}, {1, 100 * time.Millisecond}, {0.001, time.Millisecond}} {
		if got := Quantile(ds, tt.q); got != tt.want {
			t.Errorf("Quantile(1..100 ms, %v) = %v, want %v", tt.q, got, tt.want)
		}
	}
	if got := Quantile(nil, 0.99); got != 0 {
		t.Errorf("Quantile(nil) = %v", got)
	}
	if got := Quantile([]time.Duration{7}, 0.99); got != 7 {
		t.Errorf("Quantile of one value = %v", got)
	}
}

func TestSummarizeSortsAndCountsOutliers(t *testing.T) {
	ds := []time.Duration{5 * time.Second, time.Millisecond, 2 * time.Millisecond, 4 * time.Second}
	l := Summarize(ds, 3*time.Second)
	if l.N != 4 || l.P50 != 2*time.Millisecond || l.Max != 5*time.Second || l.Over != 2 {
		t.Errorf("Summarize = %+v", l)
	}
	if l := Summarize(nil, time.Second); l != (Latencies{}) {
		t.Errorf("Summarize(nil) = %+v", l)
	}
}

func TestPaceSendsEveryIndexInOrder(t *testing.T) {
	var got []int
	s, err := Pace(context.Background(), 1e6, 50, func(i int) error { got = append(got, i); return nil })
	if err != nil {
		t.Fatal(err)
	}
	if s.Sent != 50 || len(got) != 50 {
		t.Fatalf("sent %d, calls %d, want 50", s.Sent, len(got))
	}
	for i, v := range got {
		if v != i {
			t.Fatalf("call %d got index %d", i, v)
		}
	}
}

func TestPaceStopsOnErrorAndRejectsABadRate(t *testing.T) {
	boom := errors.New("boom")
	s, err := Pace(context.Background(), 1e6, 10, func(i int) error {
		if i == 3 {
			return boom
		}
		return nil
	})
	if !errors.Is(err, boom) || s.Sent != 3 {
		t.Errorf("Pace = %+v, %v; want 3 sent and the error", s, err)
	}
	if _, err := Pace(context.Background(), 0, 1, func(int) error { return nil }); err == nil {
		t.Error("rate 0 accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// One send per hour: the second one waits, and the cancelled context ends it.
	s, err = Pace(ctx, 1.0/3600, 2, func(int) error { return nil })
	if !errors.Is(err, context.Canceled) || s.Sent != 1 {
		t.Errorf("cancelled Pace = %+v, %v", s, err)
	}
}

func TestParseStatus(t *testing.T) {
	status := "Name:\tsalesbot\nVmPeak:\t  900000 kB\nVmHWM:\t   51200 kB\nVmRSS:\t   40960 kB\nThreads:\t8\n"
	m, err := parseStatus(strings.NewReader(status), "status")
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS != 40<<20 || m.Peak != 50<<20 || MB(m.RSS) != 40 {
		t.Errorf("parseStatus = %+v", m)
	}
	if _, err := parseStatus(strings.NewReader("Name:\tx\n"), "status"); err == nil {
		t.Error("a status without VmRSS was accepted")
	}
	if _, err := parseStatus(strings.NewReader("VmRSS:\t12 MB\nVmHWM:\t1 kB\n"), "status"); err == nil {
		t.Error("an unknown unit was accepted")
	}
}

func TestReadMemoryOfThisProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux only")
	}
	m, err := ReadMemory(0)
	if err != nil {
		t.Fatal(err)
	}
	if m.RSS == 0 || m.Peak < m.RSS {
		t.Errorf("ReadMemory(0) = %+v", m)
	}
}

func TestParseStat(t *testing.T) {
	// The command name holds a space and a parenthesis; utime 150, stime 25.
	line := "4242 (sales bot) S 1 4242 4242 0 -1 4194560 900 0 0 0 150 25 0 0 20 0 9 0 1000 900000000 10000 18446744073709551615"
	got, err := parseStat(line)
	if err != nil {
		t.Fatal(err)
	}
	if got != 1750*time.Millisecond {
		t.Errorf("parseStat = %v, want 1.75s", got)
	}
	if _, err := parseStat("4242 (x) S 1 2"); err == nil {
		t.Error("a short stat line was accepted")
	}
}

func TestHostCPUBusyPercent(t *testing.T) {
	a, err := parseHostCPU("cpu  100 0 50 800 50 0 0 0 0 0")
	if err != nil {
		t.Fatal(err)
	}
	b, err := parseHostCPU("cpu  250 0 100 900 50 0 0 100 0 0")
	if err != nil {
		t.Fatal(err)
	}
	// 300 busy ticks (steal included) out of 400.
	if got := a.BusyPercent(b); got != 75 {
		t.Errorf("BusyPercent = %v, want 75", got)
	}
	if _, err := parseHostCPU("intr 1 2 3"); err == nil {
		t.Error("a line other than cpu was accepted")
	}
}

func TestProcessCPUOfThisProcess(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("/proc is Linux only")
	}
	if _, err := ProcessCPU(0); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadHostCPU(); err != nil {
		t.Fatal(err)
	}
}
