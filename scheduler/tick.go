package scheduler

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"salesbot/outbox"
	"salesbot/pipeline"
)

// tickEvery is how often Loop ticks: the finest schedule is every minute.
const tickEvery = time.Minute

// keepRuns is how long the record of a done occurrence is kept: well past
// the longest look-back (a local day, at most 25 hours), so a tick can
// never insert an occurrence it forgot.
const keepRuns = 48 * time.Hour

// keepHandledKeys is how long a handled request's key is kept: far longer
// than Slack takes to redeliver an envelope or a person to click twice.
const keepHandledKeys = 7 * 24 * time.Hour

// Loop ticks for the workspaces this process serves, on start and then
// every minute, until ctx ends; it returns once its last tick is over. A
// failed tick is logged and the next one tries again: its look-back
// inserts whatever the failed one missed.
func (s *Scheduler) Loop(ctx context.Context) error {
	t := time.NewTicker(tickEvery)
	defer t.Stop()
	for {
		if err := s.tickAndPrune(ctx); err != nil && ctx.Err() == nil {
			s.log.ErrorContext(ctx, "scheduler: tick", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// tickAndPrune is one round of Loop: tick, then forget old runs and keys.
func (s *Scheduler) tickAndPrune(ctx context.Context) error {
	now := s.now()
	if _, err := s.Tick(ctx, now); err != nil {
		return err
	}
	if _, err := s.store.PruneRuns(ctx, s.store.DB(), now.Add(-keepRuns)); err != nil {
		return err
	}
	_, err := s.store.PruneHandledKeys(ctx, s.store.DB(), now.Add(-keepHandledKeys))
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

// Tick inserts a job for every occurrence due at now, in each workspace this
// process serves (Config.Teams), that was not inserted already, and returns
// how many it inserted. It is safe to call from several processes at once.
func (s *Scheduler) Tick(ctx context.Context, now time.Time) (int, error) {
	total := 0
	var errs []error
	for _, team := range s.teams {
		n, err := s.TickWorkspace(ctx, now, team)
		total += n
		errs = append(errs, err)
	}
	return total, errors.Join(errs...)
}

// TickWorkspace is Tick for one workspace, which must be named: its
// occurrences go to its own queue, worked only by processes serving it.
func (s *Scheduler) TickWorkspace(ctx context.Context, now time.Time, teamID string) (int, error) {
	if err := outbox.ValidTeam(teamID); err != nil {
		return 0, fmt.Errorf("scheduler: tick: %w", err)
	}
	all, err := s.store.ScheduledWorkspaces(ctx, s.store.DB(), teamID)
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
			for _, at := range j.occurrences(sched, pipeline.Zone(st.Timezone), now, ws.CreatedAt) {
				params = append(params, river.InsertManyParams{
					Args: occurrenceArgs{Job: j.name, TeamID: st.WorkspaceID, At: at.UTC().Format(time.RFC3339)},
					InsertOpts: &river.InsertOpts{Queue: outbox.QueueFor(outbox.QueueScheduler, st.WorkspaceID), MaxAttempts: 10,
						UniqueOpts: river.UniqueOpts{ByArgs: true}},
				})
			}
		}
	}
	if len(params) == 0 {
		return 0, nil
	}
	res, err := s.client.InsertMany(ctx, params)
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
