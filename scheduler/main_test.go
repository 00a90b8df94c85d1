package scheduler_test

import (
	"context"
	"log/slog"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverdatabasesql"
	"github.com/slack-go/slack"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
	"salesbot/notices"
	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/sales/salesdb"
	"salesbot/scheduler"
	"salesbot/store"
)

func TestMain(m *testing.M) { pgtest.Main(m) }

// fakeClock is the time tests set; nothing sleeps.
type fakeClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *fakeClock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *fakeClock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.now = t }

// instance is one bot process's scheduler on its own River client.
type instance struct {
	s   *scheduler.Scheduler
	out *outbox.Outbox
}

type env struct {
	t     *testing.T
	db    *sqlx.DB
	st    *store.Store
	clock *fakeClock
	team  string
	fake  *slackfake.Server
	insts []*instance
	// events are the job events of every instance.
	events chan *river.Event
}

// setup starts n scheduler instances over the test database, each on its
// own River client as separate processes would be, all ticking one new
// workspace with the given settings.
func setup(t *testing.T, n int, settings pipeline.Settings) *env {
	t.Helper()
	return setupRouted(t, n, settings, nil)
}

// setupRouted is setup with router re-routing timed-out handoffs.
func setupRouted(t *testing.T, n int, settings pipeline.Settings, router scheduler.Router) *env {
	t.Helper()
	db := pgtest.New(t)
	e := &env{t: t, db: db, st: store.New(db), clock: &fakeClock{}, team: pgtest.TeamID(), fake: slackfake.New(t),
		events: make(chan *river.Event, 256)}
	settings.WorkspaceID = e.team
	if _, err := e.st.EnsureWorkspace(t.Context(), e.st.DB(), e.team, settings); err != nil {
		t.Fatal(err)
	}
	// The tests tick at dates of their own: the workspace exists before
	// any of them, whatever the day the tests run.
	e.exec(`UPDATE workspaces SET created_at = '2026-01-01T00:00:00Z' WHERE id = $1`, e.team)
	log := slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	for range n {
		// Wired as the service does: one River client, on which the
		// outbox and the scheduler register their workers.
		ocfg := outbox.Config{DB: db.DB, Poster: slack.New("xoxb-test", slack.OptionAPIURL(e.fake.APIURL())),
			Log: log, Now: e.clock.Now, Teams: []string{e.team}}
		workers := river.NewWorkers()
		queues := outbox.Queues(ocfg)
		maps.Copy(queues, scheduler.Queues(ocfg.Teams))
		rc, err := outbox.RiverConfig(ocfg, workers, queues)
		if err != nil {
			t.Fatal(err)
		}
		client, err := river.NewClient(riverdatabasesql.New(db.DB), rc)
		if err != nil {
			t.Fatal(err)
		}
		if err := outbox.Register(workers, ocfg); err != nil {
			t.Fatal(err)
		}
		out, err := outbox.On(client, ocfg)
		if err != nil {
			t.Fatal(err)
		}
		s, err := scheduler.New(scheduler.Config{Store: e.st, Client: client, Outbox: out, Log: log, Clock: e.clock,
			Sales:  salesdb.New(salesdb.Deps{Store: e.st, Outbox: salesdb.OutboxOf(out, notices.Message), Log: log, Now: e.clock.Now}),
			Router: router, Teams: ocfg.Teams})
		if err != nil {
			t.Fatal(err)
		}
		if err := s.Register(workers); err != nil {
			t.Fatal(err)
		}
		events, cancel := out.Client().Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed)
		if err := out.Start(context.WithoutCancel(t.Context())); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() {
			ctx, stop := context.WithTimeout(context.Background(), 20*time.Second)
			defer stop()
			cancel()
			out.Stop(ctx)
		})
		go func() {
			for ev := range events {
				select {
				case e.events <- ev:
				case <-t.Context().Done():
					return
				}
			}
		}()
		e.insts = append(e.insts, &instance{s: s, out: out})
	}
	return e
}

// tick sets the clock to at, has every instance tick at once and waits
// until the occurrences they inserted have run.
func (e *env) tick(at time.Time) {
	e.t.Helper()
	e.clock.Set(at)
	var wg sync.WaitGroup
	counts := make([]int, len(e.insts))
	errs := make([]error, len(e.insts))
	for i, in := range e.insts {
		wg.Go(func() { counts[i], errs[i] = in.s.Tick(e.t.Context(), at) })
	}
	wg.Wait()
	total := 0
	for i := range e.insts {
		if errs[i] != nil {
			e.t.Fatalf("tick at %s: %v", at, errs[i])
		}
		total += counts[i]
	}
	e.waitOccurrences(total)
}

// waitOccurrences waits for n occurrence jobs to finish on any instance.
func (e *env) waitOccurrences(n int) {
	e.t.Helper()
	timeout := time.After(30 * time.Second)
	for done := 0; done < n; {
		select {
		case ev := <-e.events:
			if ev.Job.Kind != "scheduler_occurrence" {
				continue
			}
			if ev.Kind == river.EventKindJobFailed {
				e.t.Fatalf("occurrence %s failed: %v", ev.Job.EncodedArgs, ev.Job.Errors)
			}
			done++
		case <-timeout:
			e.t.Fatalf("%d of %d occurrences finished", done, n)
		}
	}
}

// sent is the outbox messages enqueued for the workspace, of kind, to channel
// ("" for any), as "channel: text".
func (e *env) sent(kind, channel string) []string {
	e.t.Helper()
	var out []string
	err := e.db.SelectContext(e.t.Context(), &out, `
		SELECT (args->>'channel') || ': ' || (args->>'text') FROM river_job
		WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'kind' = $2
		  AND ($3 = '' OR args->>'channel' = $3)
		ORDER BY id`, e.team, kind, channel)
	if err != nil {
		e.t.Fatal(err)
	}
	return out
}

func (e *env) exec(q string, args ...any) {
	e.t.Helper()
	if _, err := e.db.ExecContext(e.t.Context(), q, args...); err != nil {
		e.t.Fatalf("%s: %v", q, err)
	}
}

// deal creates an open lead owned by owner.
func (e *env) deal(owner, company string) pipeline.Deal {
	e.t.Helper()
	d, _, err := e.st.CreateLead(e.t.Context(), e.st.DB(), pipeline.NewLead{WorkspaceID: e.team, Company: company,
		Title: company + " deal", OwnerID: owner, CreatedBy: owner, Value: pipeline.Money{Minor: 100000, Currency: "USD"}}, e.clock.Now())
	if err != nil {
		e.t.Fatal(err)
	}
	return d
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// addFollowUp schedules f on d as its owner.
func (e *env) addFollowUp(d pipeline.Deal, f pipeline.FollowUp) (pipeline.FollowUp, error) {
	var out pipeline.FollowUp
	err := e.st.WithTx(e.t.Context(), func(tx *sqlx.Tx) error {
		var err error
		out, err = e.st.AddFollowUp(e.t.Context(), tx, d, f, d.OwnerID, e.clock.Now())
		return err
	})
	return out, err
}
