package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/riverqueue/river"

	"salesbot/outbox"
	"salesbot/pipeline"
)

type occurrenceWorker struct {
	river.WorkerDefaults[occurrenceArgs]
	s *Scheduler
}

// Timeout bounds one occurrence (a digest of a large workspace takes well
// under a second); it stays under the client's RescueStuckJobsAfter (1 min)
// so a live run is not rescued. Were it rescued, the claim would still let
// only one of the two runs through.
func (w *occurrenceWorker) Timeout(*river.Job[occurrenceArgs]) time.Duration { return 45 * time.Second }

func (w *occurrenceWorker) Work(ctx context.Context, j *river.Job[occurrenceArgs]) error {
	at, err := time.Parse(time.RFC3339, j.Args.At)
	if err != nil {
		return river.JobCancel(fmt.Errorf("scheduler: occurrence time %q: %w", j.Args.At, err))
	}
	return w.s.Run(ctx, j.Args.Job, j.Args.TeamID, at)
}

// plan is what an occurrence does, applied in the transaction that claims
// it: bookkeeping writes and outbox messages commit together, or not at all.
type plan func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error

// Run carries out occurrence at of job in the workspace, unless it already
// ran, is switched off, or is a day-bound job whose day has passed (then
// it is recorded as skipped). Safe to call more than once: the claim in
// scheduler_runs lets only the first run through.
func (s *Scheduler) Run(ctx context.Context, name, teamID string, at time.Time) error {
	if done, err := s.store.RunDone(ctx, s.store.DB(), teamID, name, at); err != nil || done {
		return err
	}
	st, err := s.store.Settings(ctx, s.store.DB(), teamID)
	if err != nil {
		return fmt.Errorf("scheduler: %s in %s: %w", name, teamID, err)
	}
	outcome, p := "done", plan(nil)
	if skip := s.skipReason(st, name, at); skip != "" {
		outcome = "skipped"
		s.log.InfoContext(ctx, "scheduler: occurrence skipped", "job", name, "team_id", teamID, "at", at, "why", skip)
	} else if p, err = s.plan(ctx, st, name, at); err != nil {
		return fmt.Errorf("scheduler: %s in %s at %s: %w", name, teamID, at.Format(time.RFC3339), err)
	}
	err = s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		claimed, err := s.store.ClaimRun(ctx, tx, teamID, name, at, outcome)
		if err != nil || !claimed || p == nil {
			return err
		}
		return p(ctx, tx, s.out)
	})
	if err != nil {
		return fmt.Errorf("scheduler: %s in %s at %s: %w", name, teamID, at.Format(time.RFC3339), err)
	}
	return nil
}

func (s *Scheduler) skipReason(st pipeline.Settings, name string, at time.Time) string {
	j, ok := jobNamed(name)
	switch {
	case !ok:
		return "unknown job"
	case !enabled(st, name):
		return "switched off"
	case j.dayBound && dayPassed(pipeline.Zone(st.Timezone), at, s.now()):
		return "its day has passed"
	}
	return ""
}

// dayPassed reports whether at's local day is over at now. Only a day in
// the past is: an occurrence ahead of this process's clock (another
// replica's, slightly skewed) still runs.
func dayPassed(loc *time.Location, at, now time.Time) bool {
	return at.In(loc).Format(time.DateOnly) < now.In(loc).Format(time.DateOnly)
}

func (s *Scheduler) plan(ctx context.Context, st pipeline.Settings, name string, at time.Time) (plan, error) {
	switch name {
	case pipeline.JobFollowUps:
		return s.followUps(ctx, st, at)
	case pipeline.JobMorning:
		return s.morning(ctx, st, at)
	case pipeline.JobDigest:
		return s.digest(ctx, st, at)
	case pipeline.JobLeaderboard:
		return s.leaderboard(ctx, st, at)
	case pipeline.JobHandoff:
		return s.handoff(ctx, st, at)
	case pipeline.JobResponseSLA:
		return s.responseSLA(st, at), nil
	case pipeline.JobApprovalReminders:
		return s.approvalReminders(st, at), nil
	}
	return nil, nil
}

// enqueueAll enqueues messages in tx.
func enqueueAll(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox, msgs []outbox.Message) error {
	for _, m := range msgs {
		if err := out.Enqueue(ctx, tx.Tx, m); err != nil {
			return err
		}
	}
	return nil
}
