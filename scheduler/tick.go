package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"
)

// tickArgs is the periodic tick's job; it carries nothing, the clock says when.
type tickArgs struct{}

func (tickArgs) Kind() string { return "scheduler_tick" }

type tickWorker struct {
	river.WorkerDefaults[tickArgs]
	s *Scheduler
}

// keepRuns is how long the record of a done occurrence is kept: well past
// the longest look-back (a local day, at most 25 hours), so a tick can
// never insert an occurrence it forgot.
const keepRuns = 48 * time.Hour

// keepHandledKeys is how long a handled request's key is kept: far longer
// than Slack takes to redeliver an envelope or a person to click twice.
const keepHandledKeys = 7 * 24 * time.Hour

func (w *tickWorker) Work(ctx context.Context, _ *river.Job[tickArgs]) error {
	now := w.s.now()
	if _, err := w.s.Tick(ctx, now); err != nil {
		return err
	}
	if _, err := w.s.store.PruneRuns(ctx, now.Add(-keepRuns)); err != nil {
		return err
	}
	_, err := w.s.store.PruneHandledKeys(ctx, now.Add(-keepHandledKeys))
	return err
}

// occurrenceArgs names one occurrence. Every field is part of River's
// uniqueness (ByArgs), so the same occurrence inserted by two ticks, or
// two processes, is one job. At is RFC 3339 in UTC: River's ByPeriod
// buckets are UTC days, so an occurrence is keyed by its own time instead.
type occurrenceArgs struct {
	Job    string `json:"job" river:"unique"`
	TeamID string `json:"team_id" river:"unique"`
	At     string `json:"at" river:"unique"`
}

func (occurrenceArgs) Kind() string { return "scheduler_occurrence" }

// Tick inserts a job for every occurrence due at now, in every workspace,
// that was not inserted already, and returns how many it inserted. It is
// safe to call from several processes at once.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) (int, error) {
	return s.TickWorkspace(ctx, now, s.only)
}

// TickWorkspace is Tick for one workspace (all when teamID is "").
func (s *Scheduler) TickWorkspace(ctx context.Context, now time.Time, teamID string) (int, error) {
	client, _ := s.parts()
	if client == nil {
		return 0, errors.New("scheduler: tick before Attach")
	}
	all, err := s.store.ScheduledWorkspaces(ctx, teamID)
	if err != nil {
		return 0, fmt.Errorf("scheduler: tick: %w", err)
	}
	var params []river.InsertManyParams
	for _, ws := range all {
		st := ws.Settings
		for _, j := range jobs {
			if !enabled(st, j.name) {
				continue
			}
			sched, err := j.schedule(st)
			if err != nil {
				// One workspace's bad setting must not stop the others.
				s.log.WarnContext(ctx, "scheduler: bad schedule", "team_id", st.WorkspaceID, "job", j.name, "error", err)
				continue
			}
			for _, at := range j.occurrences(sched, location(st.Timezone), now, ws.CreatedAt) {
				params = append(params, river.InsertManyParams{
					Args: occurrenceArgs{Job: j.name, TeamID: st.WorkspaceID, At: at.UTC().Format(time.RFC3339)},
					InsertOpts: &river.InsertOpts{Queue: s.queue, MaxAttempts: 10,
						UniqueOpts: river.UniqueOpts{ByArgs: true}},
				})
			}
		}
	}
	if len(params) == 0 {
		return 0, nil
	}
	res, err := client.InsertMany(ctx, params)
	if err != nil {
		return 0, fmt.Errorf("scheduler: insert occurrences: %w", err)
	}
	n := 0
	for _, r := range res {
		if !r.UniqueSkippedAsDuplicate {
			n++
		}
	}
	if n > 0 {
		s.log.DebugContext(ctx, "scheduler: occurrences inserted", "count", n, "now", now.UTC())
	}
	return n, nil
}
