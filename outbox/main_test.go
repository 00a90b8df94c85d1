package outbox_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/slack-go/slack"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/outbox"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// slack-go's client is the Poster; *bot.API, which embeds it, is what
// production passes.
var _ outbox.Poster = (*slack.Client)(nil)

// waitTimeout bounds every wait; conditions normally hold in well under a
// second (River polls every 200 ms), rescue in about six.
const waitTimeout = 30 * time.Second

// env is what an outbox test needs. Each test has its own River queue, so a
// job left behind by one test (cancelled, crashed) is never worked by the
// outbox of another. Only tests that need nothing of River's leader run in
// parallel (one message per channel: no snooze, retry or rescue). River elects
// one leader per database, which alone makes snoozed and retried jobs
// runnable again, and the crash test needs its new outbox to be it; serial
// tests all finish before the parallel ones resume.
type env struct {
	t     *testing.T
	db    *sqlx.DB
	fake  *slackfake.Server
	api   *slack.Client
	team  string
	queue string
}

func setup(t *testing.T) *env {
	t.Helper()
	team := pgtest.TeamID()
	fake := slackfake.New(t)
	return &env{t: t, db: pgtest.New(t), fake: fake, team: team,
		api:   slack.New("xoxb-test", slack.OptionAPIURL(fake.APIURL())),
		queue: outbox.QueueFor(outbox.QueueOutbox, team)}
}

// config is the outbox configuration of a test, with its own metrics
// registry and its logs in the test's output.
func (e *env) config(reg *prometheus.Registry) outbox.Config {
	cfg := outbox.Config{
		DB:     e.db.DB,
		Poster: e.api,
		Log:    slog.New(slog.NewTextHandler(e.t.Output(), &slog.HandlerOptions{Level: slog.LevelInfo})),
		Teams:  []string{e.team},
	}
	if reg != nil { // a nil *Registry in the interface would not be nil
		cfg.Metrics = reg
	}
	return cfg
}

// startShared wires an outbox as a service does: one River client, built
// with the outbox's queues and extra ones, on which the outbox and then
// register put their workers before it starts. It stops when the test ends.
func (e *env) startShared(cfg outbox.Config, extra map[string]river.QueueConfig, register func(*river.Workers)) *outbox.Outbox {
	e.t.Helper()
	workers := river.NewWorkers()
	queues := outbox.Queues(cfg)
	maps.Copy(queues, extra)
	rc, err := outbox.RiverConfig(cfg, workers, queues)
	if err != nil {
		e.t.Fatal(err)
	}
	client, err := river.NewClient(riverdatabasesql.New(cfg.DB), rc)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := outbox.Register(workers, cfg); err != nil {
		e.t.Fatal(err)
	}
	ob, err := outbox.On(client, cfg)
	if err != nil {
		e.t.Fatal(err)
	}
	register(workers)
	return e.started(ob)
}

// start builds and starts an outbox from cfg, and stops it when the test
// ends.
func (e *env) start(cfg outbox.Config) *outbox.Outbox {
	e.t.Helper()
	ob, err := outbox.New(cfg)
	if err != nil {
		e.t.Fatalf("new outbox: %v", err)
	}
	return e.started(ob)
}

// started starts ob and stops it when the test ends.
func (e *env) started(ob *outbox.Outbox) *outbox.Outbox {
	e.t.Helper()
	if err := ob.Start(context.Background()); err != nil {
		e.t.Fatalf("start outbox: %v", err)
	}
	e.t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := ob.Stop(ctx); err != nil {
			e.t.Errorf("stop outbox: %v", err)
		}
	})
	return ob
}

// enqueue adds msgs in one transaction and commits it, or rolls it back.
func (e *env) enqueue(ob *outbox.Outbox, commit bool, msgs ...outbox.Message) {
	e.t.Helper()
	ctx := e.t.Context()
	tx, err := e.db.BeginTx(ctx, nil)
	if err != nil {
		e.t.Fatalf("begin: %v", err)
	}
	defer tx.Rollback()
	for _, m := range msgs {
		if err := ob.Enqueue(ctx, tx, m); err != nil {
			e.t.Fatalf("enqueue %+v: %v", m, err)
		}
	}
	if commit {
		if err := tx.Commit(); err != nil {
			e.t.Fatalf("commit: %v", err)
		}
	}
}

// message is a valid announcement to channel; mods override its fields.
func (e *env) message(channel, text string, mods ...func(*outbox.Message)) outbox.Message {
	m := outbox.Message{TeamID: e.team, Channel: channel, Text: text, Kind: "won_announcement"}
	for _, mod := range mods {
		mod(&m)
	}
	return m
}

// job is a row of River's job table, as far as the tests look at it.
type job struct {
	ID       int64
	State    string
	Attempt  int
	Errors   []string // each attempt's error message
	Metadata json.RawMessage
}

// jobs returns the test queue's jobs in insertion order.
func (e *env) jobs() []job {
	e.t.Helper()
	rows, err := e.db.QueryxContext(context.Background(),
		`SELECT id, state, attempt, coalesce(array_to_json(errors), '[]') AS errs, metadata
		   FROM river_job WHERE queue = $1 ORDER BY id`, e.queue)
	if err != nil {
		e.t.Fatalf("list jobs: %v", err)
	}
	defer rows.Close()
	var out []job
	for rows.Next() {
		var j job
		var errs []byte
		if err := rows.Scan(&j.ID, &j.State, &j.Attempt, &errs, &j.Metadata); err != nil {
			e.t.Fatalf("scan job: %v", err)
		}
		var attempts []struct{ Error string }
		if err := json.Unmarshal(errs, &attempts); err != nil {
			e.t.Fatalf("job errors %s: %v", errs, err)
		}
		for _, a := range attempts {
			j.Errors = append(j.Errors, a.Error)
		}
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		e.t.Fatalf("list jobs: %v", err)
	}
	return out
}

// waitJobs waits until the test queue holds n jobs, all in state.
func (e *env) waitJobs(n int, state string) []job {
	e.t.Helper()
	var last []job
	eventually(e.t, "jobs to be "+state, func() bool {
		last = e.jobs()
		if len(last) != n {
			return false
		}
		for _, j := range last {
			if j.State != state {
				return false
			}
		}
		return true
	})
	return last
}

// eventually polls cond until it holds, failing the test after waitTimeout.
// Polling a condition is how the tests wait: never a sleep for a guess.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitTimeout)
	defer cancel()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		select {
		case <-tick.C:
		case <-ctx.Done():
			t.Fatalf("timed out after %s waiting for %s", waitTimeout, what)
		}
	}
}

// waitMessages waits until channel holds n messages and returns them.
func (e *env) waitMessages(channel string, n int) []slackfake.Message {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(e.t.Context(), waitTimeout)
	defer cancel()
	if _, err := e.fake.WaitMessage(ctx, channel, func(slackfake.Message) bool {
		return len(e.fake.Messages(channel)) >= n
	}); err != nil {
		e.t.Fatalf("waiting for %d messages in %s: %v (have %d)", n, channel, err, len(e.fake.Messages(channel)))
	}
	return e.fake.Messages(channel)
}

// jobIDOf returns the job ID in a message's outbox metadata, or 0.
func jobIDOf(t testing.TB, m slackfake.Message) int64 {
	t.Helper()
	var meta struct {
		EventType    string `json:"event_type"`
		EventPayload struct {
			JobID int64 `json:"job_id"`
		} `json:"event_payload"`
	}
	if m.Metadata == nil {
		return 0
	}
	if err := json.Unmarshal(m.Metadata, &meta); err != nil {
		t.Fatalf("message metadata %s: %v", m.Metadata, err)
	}
	if meta.EventType != "salesbot_outbox" {
		return 0
	}
	return meta.EventPayload.JobID
}

// counter reads one labelled counter from reg.
func counter(t testing.TB, reg *prometheus.Registry, name string, labels ...string) float64 {
	t.Helper()
	families, err := reg.Gather()
	if err != nil {
		t.Fatalf("gather metrics: %v", err)
	}
	for _, f := range families {
		if f.GetName() != name {
			continue
		}
	metric:
		for _, m := range f.GetMetric() {
			for i, lp := range m.GetLabel() {
				if i*2+1 >= len(labels) || lp.GetName() != labels[i*2] || lp.GetValue() != labels[i*2+1] {
					continue metric
				}
			}
			return m.GetCounter().GetValue()
		}
	}
	return 0
}
