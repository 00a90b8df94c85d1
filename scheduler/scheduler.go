// Package scheduler runs salesbot's timed jobs: follow-up reminders,
// stale-deal alerts and escalations, close-date reminders, the daily digest,
// the weekly leaderboard and lead handoff timeouts.
//
// Each job has a cron schedule per workspace, in the workspace's timezone.
// Every process ticks (Loop: on start, then every minute) for the
// workspaces it serves: a tick works out their occurrences due over a
// look-back window and inserts one River job per (job, workspace, scheduled
// time), unique by its args, on the workspace's own queue; the look-back
// covers ticks missed while no process ran. The tick is not a River
// periodic job: only River's elected leader enqueues those, and the leader
// may be a process serving other workspaces. A worker then claims
// the occurrence in scheduler_runs in the same transaction as its changes
// and messages, so each occurrence is carried out once, whatever the number
// of processes and restarts.
package scheduler

import (
	"database/sql"
	"errors"
	"fmt"
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
	// Teams are the workspaces this process serves: Tick inserts only
	// their occurrences, on their own queues (outbox.QueueFor), which are
	// the only scheduler queues of Queues.
	Teams []string
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
	teams   []string
	workers *river.Workers
	nworker int

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
		router: cfg.Router, teams: cfg.Teams, nworker: cfg.Workers, workers: river.NewWorkers()}
	if s.log == nil {
		s.log = slog.Default()
	}
	if s.clock == nil {
		s.clock = SystemClock{}
	}
	for _, team := range s.teams {
		if err := outbox.ValidTeam(team); err != nil {
			return nil, fmt.Errorf("scheduler: Config.Teams: %w", err)
		}
	}
	if s.nworker <= 0 {
		s.nworker = 4
	}
	river.AddWorker(s.workers, &occurrenceWorker{s: s})
	return s, nil
}

// Workers are the scheduler's River workers, for outbox.Config.ExtraWorkers.
func (s *Scheduler) Workers() *river.Workers { return s.workers }

// Queues are the scheduler's River queues, one per workspace served, for
// outbox.Config.ExtraQueues.
func (s *Scheduler) Queues() map[string]river.QueueConfig {
	q := map[string]river.QueueConfig{}
	for _, team := range s.teams {
		q[outbox.QueueFor(outbox.QueueScheduler, team)] = river.QueueConfig{MaxWorkers: s.nworker}
	}
	return q
}

// Attach gives the scheduler the outbox whose River client carries its
// workers. Nothing ticks until Loop runs or Tick is called (tests do).
func (s *Scheduler) Attach(o *outbox.Outbox) {
	s.mu.Lock()
	s.client, s.out = o.Client(), o
	s.mu.Unlock()
}

func (s *Scheduler) now() time.Time { return s.clock.Now() }

func (s *Scheduler) parts() (*river.Client[*sql.Tx], *outbox.Outbox) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.client, s.out
}
