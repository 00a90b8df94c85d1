package webhooks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"salesbot/internal/loadgen"
	"salesbot/pipeline"
)

// fanout is a receiver standing for many endpoints, one path each
// (/e/<n>): every tenth answers 500, the rest 200. It counts what each
// endpoint got, by event id.
type fanout struct {
	mu    sync.Mutex
	got   map[string]map[string]int // endpoint → event id → requests
	first map[string]time.Duration  // endpoint+" "+deal ref → first arrival, on watch
	watch loadgen.Stopwatch
}

func failing(n int) bool { return n%10 == 0 }

func (f *fanout) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	n, _ := strconv.Atoi(strings.TrimPrefix(r.URL.Path, "/e/"))
	body, _ := io.ReadAll(r.Body)
	var ev struct {
		ID   string `json:"id"`
		Deal struct {
			Ref string `json:"ref"`
		} `json:"deal"`
	}
	_ = json.Unmarshal(body, &ev)
	f.mu.Lock()
	if f.got[r.URL.Path] == nil {
		f.got[r.URL.Path] = map[string]int{}
	}
	f.got[r.URL.Path][ev.ID]++
	if _, ok := f.first[r.URL.Path+" "+ev.Deal.Ref]; !ok {
		f.first[r.URL.Path+" "+ev.Deal.Ref] = f.watch.Elapsed()
	}
	f.mu.Unlock()
	if failing(n) {
		w.WriteHeader(http.StatusInternalServerError)
	}
}

// BenchmarkWebhookFanout publishes b.N events (new leads) to 100 endpoints,
// 10 of which fail every time, and waits until every endpoint has received
// every event: each working endpoint exactly once (counted by event id),
// each failing one at least once (it is retried). Reported: deliveries per
// second to the working endpoints and the time from the change's commit to
// the endpoint's first receipt.
//
//	bash scripts/test --bench -run '^$' -bench Webhook -benchtime 20x ./webhooks/
func BenchmarkWebhookFanout(b *testing.B) {
	const endpoints = 100
	e := setup(b, envOpts{allowPrivate: true, retryBase: time.Second})
	// The pool as production sizes it (store.Open): the test pool keeps two
	// idle connections, and would open a new one for most deliveries.
	e.db.SetMaxOpenConns(20)
	e.db.SetMaxIdleConns(20)
	f := &fanout{got: map[string]map[string]int{}, first: map[string]time.Duration{}, watch: loadgen.StartStopwatch()}
	srv := httptest.NewServer(f)
	b.Cleanup(srv.Close)
	for n := range endpoints {
		e.add(fmt.Sprintf("%s/e/%d", srv.URL, n), pipeline.EventLeadCreated)
	}
	committed := map[string]time.Duration{} // deal ref → commit, on f.watch
	b.ResetTimer()
	cpu0 := cpuTime()
	run := loadgen.StartStopwatch()
	for i := range b.N {
		d := e.lead(fmt.Sprintf("Fanout %d", i))
		committed[d.Ref()] = f.watch.Elapsed()
	}
	// Wait for every endpoint to have every event.
	ctx, cancel := context.WithTimeout(b.Context(), 5*time.Minute)
	defer cancel()
	for {
		f.mu.Lock()
		done := len(f.got) == endpoints
		for _, byEvent := range f.got {
			done = done && len(byEvent) == b.N
		}
		f.mu.Unlock()
		if done {
			break
		}
		select {
		case <-ctx.Done():
			b.Fatalf("not every endpoint got every event in 5 minutes")
		case <-time.After(10 * time.Millisecond):
		}
	}
	elapsed := run.Elapsed()
	cpu := cpuTime() - cpu0
	b.StopTimer()

	var wait, running float64
	if err := e.db.QueryRowContext(b.Context(), `SELECT
		coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM attempted_at - scheduled_at)), 0),
		coalesce(percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM finalized_at - attempted_at)), 0)
		FROM river_job WHERE queue = 'webhooks_' || lower($1) AND state = 'completed'`, e.team).Scan(&wait, &running); err != nil {
		b.Logf("job timings: %v", err)
	} else {
		b.Logf("median job: %.0f ms queued, %.0f ms running", wait*1000, running*1000)
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var lat []time.Duration
	failedHits := 0
	for path, byEvent := range f.got {
		n, _ := strconv.Atoi(strings.TrimPrefix(path, "/e/"))
		for id, c := range byEvent {
			if failing(n) {
				failedHits += c
				continue
			}
			if c != 1 {
				b.Errorf("%s got event %s %d times, want once", path, id, c)
			}
		}
	}
	if b.Failed() {
		rows, err := e.db.QueryContext(b.Context(), `SELECT args->>'endpoint_id', state, errors::text FROM river_job
			WHERE queue = 'webhooks_' || lower($1) AND errors IS NOT NULL LIMIT 5`, e.team)
		if err == nil {
			for rows.Next() {
				var ep, st, errs string
				_ = rows.Scan(&ep, &st, &errs)
				b.Logf("endpoint %s job %s: %.400s", ep, st, errs)
			}
			rows.Close()
		}
	}
	// Latency: from a lead's commit to the first arrival of its event at
	// each working endpoint.
	for key, at := range f.first {
		path, ref, _ := strings.Cut(key, " ")
		n, _ := strconv.Atoi(strings.TrimPrefix(path, "/e/"))
		if !failing(n) {
			lat = append(lat, at-committed[ref])
		}
	}
	working := endpoints - endpoints/10
	b.ReportMetric(float64(working*b.N)/elapsed.Seconds(), "deliveries/s")
	b.ReportMetric(float64(failedHits)/float64(endpoints/10*b.N), "attempts/failing-delivery")
	b.ReportMetric(float64(cpu.Microseconds())/1000/float64(endpoints*b.N), "cpu-ms/delivery")
	loadgen.Summarize(lat, 0).Report(b, "")
}

// cpuTime is the CPU time this process has used (the sender, its queue and
// the receivers; not Postgres): the machine's load does not inflate it.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
