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
	"time"

	"github.com/riverqueue/river"

	"salesbot/outbox"
	"salesbot/sales/salesdb"
	"salesbot/store"
)

// Clock tells the time: the process's one clock, made where it is wired.
// Tests drive a fake one.
type Clock interface{ Now() time.Time }

// Config configures a Scheduler. Store, Client, Outbox, Clock and Sales are
// required.
type Config struct {
	Store *store.Store
	// Client is the process's River client: Tick inserts occurrences on it,
	// and its workers must carry the scheduler's (Register), with Queues.
	Client *river.Client[*sql.Tx]
	// Outbox enqueues an occurrence's messages in the transaction that
	// claims it.
	Outbox *outbox.Outbox
	Log    *slog.Logger // default slog.Default()
	Clock  Clock        // what "due" and "today" mean
	// Sales reads what the reports, alerts and reminders say.
	Sales *salesdb.Service
	// Router re-routes leads whose handoff timed out; nil skips that job.
	Router Router
	// Teams are the workspaces this process serves: Tick inserts only
	// their occurrences, on their own queues (Queues).
	Teams []string
}

// Scheduler works out and runs the occurrences of the scheduled jobs.
type Scheduler struct {
	store  *store.Store
	client *river.Client[*sql.Tx]
	out    *outbox.Outbox
	log    *slog.Logger
	sales  *salesdb.Service
	router Router
	teams  []string

	clock Clock
}

// workersPerQueue is how many occurrences of a workspace run at once: they
// are database work, and the pool is shared with the bot.
const workersPerQueue = 4

// Queues are the scheduler's River queues of the given workspaces, one
// each, for the River client's configuration.
func Queues(teams []string) map[string]river.QueueConfig {
	q := map[string]river.QueueConfig{}
	for _, team := range teams {
		q[outbox.QueueFor(outbox.QueueScheduler, team)] = river.QueueConfig{MaxWorkers: workersPerQueue}
	}
	return q
}

// New builds a Scheduler on the process's River client. It runs nothing
// until Register has put its worker on the client's workers and the client
// has started; nothing ticks until Loop runs or Tick is called (tests do).
func New(cfg Config) (*Scheduler, error) {
	var errs []error
	if cfg.Store == nil {
		errs = append(errs, errors.New("scheduler: Config.Store is required"))
	}
	if cfg.Client == nil {
		errs = append(errs, errors.New("scheduler: Config.Client is required"))
	}
	if cfg.Outbox == nil {
		errs = append(errs, errors.New("scheduler: Config.Outbox is required"))
	}
	if cfg.Sales == nil {
		errs = append(errs, errors.New("scheduler: Config.Sales is required"))
	}
	if cfg.Clock == nil {
		errs = append(errs, errors.New("scheduler: Config.Clock is required"))
	}
	for _, team := range cfg.Teams {
		if err := outbox.ValidTeam(team); err != nil {
			errs = append(errs, fmt.Errorf("scheduler: Config.Teams: %w", err))
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	s := &Scheduler{store: cfg.Store, client: cfg.Client, out: cfg.Outbox, log: cfg.Log, clock: cfg.Clock,
		sales: cfg.Sales, router: cfg.Router, teams: cfg.Teams}
	if s.log == nil {
		s.log = slog.Default()
	}
	return s, nil
}

// Register puts the scheduler's worker on workers, the bundle of the
// client given to New. River accepts workers until the client starts.
func (s *Scheduler) Register(workers *river.Workers) error {
	if err := river.AddWorkerSafely(workers, &occurrenceWorker{s: s}); err != nil {
		return fmt.Errorf("scheduler: register worker: %w", err)
	}
	return nil
}

func (s *Scheduler) now() time.Time { return s.clock.Now() }
