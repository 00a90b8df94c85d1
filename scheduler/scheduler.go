// Package scheduler runs salesbot's timed jobs: follow-up reminders,
// stale-deal alerts and escalations, close-date reminders, the daily digest,
// the weekly leaderboard and lead handoff timeouts.
//
// Each job has a cron schedule per workspace, in the workspace's timezone. A
// tick (a River periodic job, so only the elected leader runs it) works out
// every workspace's occurrences due over a look-back window and inserts one
// River job per (job, workspace, scheduled time), unique by its args; the
// look-back covers ticks missed while no leader ran. A worker then claims
// the occurrence in scheduler_runs in the same transaction as its changes
// and messages, so each occurrence is carried out once, whatever the number
// of processes and restarts.
package scheduler

import (
	"database/sql"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/riverqueue/river"

	"salesbot/outbox"
	"salesbot/store"
)

// Clock tells the time. Tests drive a fake one.
type Clock interface{ Now() time.Time }

// SystemClock is the real clock.
type SystemClock struct{}

// Now returns time.Now().
func (SystemClock) Now() time.Time { return time.Now() }

// Config configures a Scheduler. Store is required.
type Config struct {
	Store *store.Store
	Log   *slog.Logger // default slog.Default()
	Clock Clock        // default SystemClock
	// Reports renders the digest and the leaderboard; nil skips those jobs.
	Reports Reports
	// Router re-routes leads whose handoff timed out; nil skips that job.
	Router Router
	// Queue is the River queue of the scheduler's jobs. Default "scheduler".
	Queue string
	// Workers is how many occurrences run at once. Default 4: they are
	// database work, and the pool is shared with the bot.
	Workers int
}

// Scheduler works out and runs the occurrences of the scheduled jobs.
type Scheduler struct {
	store   *store.Store
	log     *slog.Logger
	reports Reports
	router  Router
	queue   string
	workers *river.Workers
	nworker int
	only    string // tests: tick this workspace only, so packages' tests stay apart

	clock Clock

	mu     sync.Mutex
	client *river.Client[*sql.Tx]
	out    *outbox.Outbox
}

// New builds a Scheduler and its River workers. It runs nothing until its
// workers are on a started River client (through outbox.Config.ExtraWorkers
// and ExtraQueues) and Attach has given it that client.
func New(cfg Config) (*Scheduler, error) {
	if cfg.Store == nil {
		return nil, errors.New("scheduler: Config.Store is required")
	}
	s := &Scheduler{store: cfg.Store, log: cfg.Log, clock: cfg.Clock, reports: cfg.Reports,
		router: cfg.Router, queue: cfg.Queue, nworker: cfg.Workers, workers: river.NewWorkers()}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	if s.queue == "" {
		s.queue = "scheduler"
	}
	if s.nworker <= 0 {
		s.nworker = 4
	}
	river.AddWorker(s.workers, &tickWorker{s: s})
	river.AddWorker(s.workers, &occurrenceWorker{s: s})
	return s, nil
}

// Workers are the scheduler's River workers, for outbox.Config.ExtraWorkers.
func (s *Scheduler) Workers() *river.Workers { return s.workers }

// Queues is the scheduler's River queue, for outbox.Config.ExtraQueues.
func (s *Scheduler) Queues() map[string]river.QueueConfig {
	return map[string]river.QueueConfig{s.queue: {MaxWorkers: s.nworker}}
}

// Attach gives the scheduler the outbox whose River client carries its
// workers. With periodic set, the tick is added as a periodic job that runs
// every minute and on start; without it, Tick must be called (tests do).
func (s *Scheduler) Attach(o *outbox.Outbox, periodic bool) {
	s.mu.Lock()
	s.client, s.out = o.Client(), o
	s.mu.Unlock()
	if periodic {
		o.Client().PeriodicJobs().Add(river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
			func() (river.JobArgs, *river.InsertOpts) {
				return tickArgs{}, &river.InsertOpts{Queue: s.queue}
			}, &river.PeriodicJobOpts{RunOnStart: true, ID: "scheduler_tick"}))
	}
}

func (s *Scheduler) now() time.Time { return s.clock.Now() }

func (s *Scheduler) parts() (*river.Client[*sql.Tx], *outbox.Outbox) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.client, s.out
}
