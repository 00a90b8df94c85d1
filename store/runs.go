package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// The primary key makes the claim: of two runs of one occurrence, the
// second inserts nothing (after the first commits) and learns it is done.
const claimRun = `
INSERT INTO scheduler_runs (workspace_id, job, scheduled_at, outcome)
VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING`

const selectRunDone = `
SELECT EXISTS (SELECT 1 FROM scheduler_runs WHERE workspace_id = $1 AND job = $2 AND scheduled_at = $3)`

// ClaimRun records through ex (the run's transaction) that occurrence at of job ran in the workspace
// (outcome "done" or "skipped"). It returns false when the occurrence was
// already recorded: the caller must then do nothing, so every occurrence is
// carried out once, however many processes or retries reach it.
func (s *Store) ClaimRun(ctx context.Context, ex Executor, teamID, job string, at time.Time, outcome string) (bool, error) {
	res, err := ex.ExecContext(ctx, claimRun, teamID, job, at, outcome)
	if err != nil {
		return false, fmt.Errorf("store: claim %s at %s in %s: %w", job, at.Format(time.RFC3339), teamID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: claim %s in %s: %w", job, teamID, err)
	}
	return n == 1, nil
}

const pruneRuns = `DELETE FROM scheduler_runs WHERE scheduled_at < $1`

// PruneRuns deletes the record of occurrences scheduled before before, and
// returns how many: the tick never looks back that far, so they can no
// longer be claimed again.
func (s *Store) PruneRuns(ctx context.Context, ex Executor, before time.Time) (int64, error) {
	res, err := ex.ExecContext(ctx, pruneRuns, before)
	if err != nil {
		return 0, fmt.Errorf("store: prune scheduler runs: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: prune scheduler runs: %w", err)
	}
	return n, nil
}

// RunDone reports whether occurrence at of job has already run in the workspace.
func (s *Store) RunDone(ctx context.Context, ex Executor, teamID, job string, at time.Time) (bool, error) {
	var done bool
	if err := sqlx.GetContext(ctx, ex, &done, selectRunDone, teamID, job, at); err != nil {
		return false, fmt.Errorf("store: run of %s in %s: %w", job, teamID, err)
	}
	return done, nil
}
