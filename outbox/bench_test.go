package outbox_test

import (
	"context"
	"database/sql"
	"fmt"
	"log/slog"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/slack-go/slack"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/outbox"
)

// BenchmarkDrain queues 10,000 messages across 500 channels with no outbox
// running, then starts one and times until all are posted. At Slack's pace
// (1 s per channel) 20 messages a channel cannot drain in under 19 s, so the
// best possible figure is about 526 msgs/s; a short interval shows what the
// outbox itself can do. Every iteration checks that no message was posted
// twice.
//
//	go test -run '^$' -bench Drain -benchtime 1x ./outbox
func BenchmarkDrain(b *testing.B) {
	const messages, channels = 10_000, 500
	for _, interval := range []time.Duration{time.Second, 10 * time.Millisecond} {
		b.Run("interval="+interval.String(), func(b *testing.B) {
			db := pgtest.New(b)
			for i := 0; i < b.N; i++ {
				b.StopTimer()
				fake := slackfake.New(b)
				team := pgtest.TeamID()
				reg := prometheus.NewRegistry()
				cfg := outbox.Config{
					DB:                 db.DB,
					Poster:             slack.New("xoxb-bench", slack.OptionAPIURL(fake.APIURL())),
					Log:                slog.New(slog.DiscardHandler),
					Metrics:            reg,
					PerChannelInterval: interval,
					Teams:              []string{team},
				}
				ob, err := outbox.New(cfg)
				if err != nil {
					b.Fatal(err)
				}
				enqueueMany(b, ob, db.DB, team, messages, channels)

				b.StartTimer()
				start := time.Now()
				if err := ob.Start(context.Background()); err != nil {
					b.Fatal(err)
				}
				eventually(b, "the queue to drain", func() bool {
					return counter(b, reg, "salesbot_outbox_delivered_total", "kind", "bench") >= messages
				})
				elapsed := time.Since(start)
				b.StopTimer()

				ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
				if err := ob.Stop(ctx); err != nil {
					b.Errorf("stop: %v", err)
				}
				cancel()
				checkOnce(b, fake, messages)
				b.ReportMetric(float64(messages)/elapsed.Seconds(), "msgs/s")
				var snoozes float64
				if err := db.GetContext(context.Background(), &snoozes,
					`SELECT coalesce(sum((metadata->>'snoozes')::int), 0) FROM river_job WHERE queue = $1`, outbox.QueueFor(outbox.QueueOutbox, team)); err != nil {
					b.Fatal(err)
				}
				b.ReportMetric(snoozes/messages, "snoozes/msg")
				fake.Close()
			}
		})
	}
}

// enqueueMany commits n messages spread round-robin over channels, in
// transactions of 500.
func enqueueMany(b *testing.B, ob *outbox.Outbox, db *sql.DB, team string, n, channels int) {
	b.Helper()
	ctx := context.Background()
	for i := 0; i < n; {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			b.Fatal(err)
		}
		for end := min(i+500, n); i < end; i++ {
			m := outbox.Message{TeamID: team, Channel: fmt.Sprintf("C%05d", i%channels),
				Text: fmt.Sprintf("message %d", i), Kind: "bench"}
			if err := ob.Enqueue(ctx, tx, m); err != nil {
				b.Fatal(err)
			}
		}
		if err := tx.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// checkOnce fails if the fake holds other than n messages or any job's
// message twice.
func checkOnce(b *testing.B, fake *slackfake.Server, n int) {
	b.Helper()
	seen := map[int64]bool{}
	msgs := fake.Messages("")
	for _, m := range msgs {
		id := jobIDOf(b, m)
		if seen[id] {
			b.Errorf("job %d posted twice", id)
		}
		seen[id] = true
	}
	if len(msgs) != n || len(seen) != n {
		b.Errorf("fake holds %d messages from %d jobs, want %d of each", len(msgs), len(seen), n)
	}
}
