package outbox_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/riverqueue/river"

	"salesbot/outbox"
)

// TestPacingPerChannel posts five messages to each of two channels. Posts to
// one channel are spaced by the interval; the other channel does not wait
// behind it. Spacing is checked on the fake's arrival times with a generous
// margin (half the interval), since request latency varies on a busy machine.
func TestPacingPerChannel(t *testing.T) {
	e := setup(t)
	const interval = 400 * time.Millisecond
	cfg := e.config(nil)
	cfg.PerChannelInterval = interval
	ob := e.start(cfg)

	var msgs []outbox.Message
	for _, ch := range []string{"C0AAA", "C0BBB"} {
		for i := range 5 {
			msgs = append(msgs, e.message(ch, fmt.Sprintf("%s #%d", ch, i)))
		}
	}
	e.enqueue(ob, true, msgs...)
	e.waitJobs(10, "completed")

	arrivals := map[string][]time.Time{}
	for _, c := range e.fake.Calls("chat.postMessage") {
		arrivals[c.Param("channel")] = append(arrivals[c.Param("channel")], c.At)
	}
	for _, ch := range []string{"C0AAA", "C0BBB"} {
		var texts []string
		for _, m := range e.fake.Messages(ch) {
			texts = append(texts, m.Text)
		}
		slices.Sort(texts)
		want := []string{ch + " #0", ch + " #1", ch + " #2", ch + " #3", ch + " #4"}
		if !slices.Equal(texts, want) {
			t.Errorf("%s got %q, want each of %q once", ch, texts, want)
		}
		at := arrivals[ch]
		for i := 1; i < len(at); i++ {
			if gap := at[i].Sub(at[i-1]); gap < interval/2 {
				t.Errorf("%s: posts %d and %d arrived %s apart, want about %s", ch, i-1, i, gap, interval)
			}
		}
	}
	a, b := arrivals["C0AAA"], arrivals["C0BBB"]
	if len(a) == 5 && len(b) == 5 && (b[0].After(a[1]) || a[0].After(b[1])) {
		t.Errorf("one channel waited for the other: first posts at %v and %v, second at %v and %v",
			a[0].Format(time.StampMilli), b[0].Format(time.StampMilli), a[1].Format(time.StampMilli), b[1].Format(time.StampMilli))
	}
}

// pingArgs is a job kind another package (the scheduler) would register.
type pingArgs struct{ Team string }

func (pingArgs) Kind() string { return "test_ping" }

// TestOtherPackagesShareTheClient registers a worker of another kind and
// inserts its job through Client: one River client serves the process.
func TestOtherPackagesShareTheClient(t *testing.T) {
	e := setup(t)
	done := make(chan string, 1)
	ob := e.startShared(e.config(nil), map[string]river.QueueConfig{e.queue + "_ping": {MaxWorkers: 1}}, func(workers *river.Workers) {
		river.AddWorker(workers, river.WorkFunc(func(ctx context.Context, job *river.Job[pingArgs]) error {
			done <- job.Args.Team
			return nil
		}))
	})

	tx, err := e.db.BeginTx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	if _, err := ob.Client().InsertTx(t.Context(), tx, pingArgs{Team: e.team}, &river.InsertOpts{Queue: e.queue + "_ping"}); err != nil {
		t.Fatal(err)
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	select {
	case got := <-done:
		if got != e.team {
			t.Errorf("worked ping for %q, want %q", got, e.team)
		}
	case <-time.After(waitTimeout):
		t.Fatal("the other package's job never ran")
	}
	// Outbox messages still go through on the same client.
	e.enqueue(ob, true, e.message("C0SHARE", "still here"))
	e.waitMessages("C0SHARE", 1)
}
