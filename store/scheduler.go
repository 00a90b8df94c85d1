package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const selectScheduled = `
SELECT s.workspace_id, s.currency, s.timezone, s.celebration_channel, s.digest_channel, s.alerts_channel,
       s.digest_time, s.working_days, s.big_deal_minor, s.handoff_timeout_mins, s.followup_snooze_mins, s.jobs,
       w.created_at
FROM workspace_settings s JOIN workspaces w ON w.id = s.workspace_id
WHERE $1 = '' OR s.workspace_id = $1
ORDER BY s.workspace_id`

// The primary key makes the claim: of two runs of one occurrence, the
// second inserts nothing (after the first commits) and learns it is done.
const claimRun = `
INSERT INTO scheduler_runs (workspace_id, job, scheduled_at, outcome)
VALUES ($1, $2, $3, $4)
ON CONFLICT DO NOTHING`

const selectRunDone = `
SELECT EXISTS (SELECT 1 FROM scheduler_runs WHERE workspace_id = $1 AND job = $2 AND scheduled_at = $3)`

// ScheduledWorkspace is a workspace as the scheduler's tick sees it.
type ScheduledWorkspace struct {
	pipeline.Settings
	CreatedAt time.Time
}

// ScheduledWorkspaces returns every workspace's settings and creation time
// (only teamID's when it is not empty), for the scheduler's tick.
func (s *Store) ScheduledWorkspaces(ctx context.Context, teamID string) ([]ScheduledWorkspace, error) {
	var rows []struct {
		settingsRow
		CreatedAt time.Time `db:"created_at"`
	}
	if err := sqlx.SelectContext(ctx, s.db, &rows, selectScheduled, teamID); err != nil {
		return nil, fmt.Errorf("store: scheduled workspaces: %w", err)
	}
	out := make([]ScheduledWorkspace, 0, len(rows))
	for _, r := range rows {
		st, err := r.settings()
		if err != nil {
			return nil, fmt.Errorf("store: settings of %s: %w", r.WorkspaceID, err)
		}
		out = append(out, ScheduledWorkspace{Settings: st, CreatedAt: r.CreatedAt})
	}
	return out, nil
}

// ClaimRun records in tx that occurrence at of job ran in the workspace
// (outcome "done" or "skipped"). It returns false when the occurrence was
// already recorded: the caller must then do nothing, so every occurrence is
// carried out once, however many processes or retries reach it.
func (s *Store) ClaimRun(ctx context.Context, tx *sqlx.Tx, teamID, job string, at time.Time, outcome string) (bool, error) {
	res, err := tx.ExecContext(ctx, claimRun, teamID, job, at, outcome)
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
func (s *Store) PruneRuns(ctx context.Context, before time.Time) (int64, error) {
	res, err := s.db.ExecContext(ctx, pruneRuns, before)
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
func (s *Store) RunDone(ctx context.Context, teamID, job string, at time.Time) (bool, error) {
	var done bool
	if err := sqlx.GetContext(ctx, s.db, &done, selectRunDone, teamID, job, at); err != nil {
		return false, fmt.Errorf("store: run of %s in %s: %w", job, teamID, err)
	}
	return done, nil
}

// Recipient is how one person wants to be notified.
type Recipient struct {
	ID         string `db:"id"`
	Timezone   string `db:"timezone"`
	Notify     []byte `db:"notify"`
	QuietStart string `db:"quiet_start"`
	QuietEnd   string `db:"quiet_end"`
	ManagerID  string `db:"manager_id"`
	Role       string `db:"role"`
	Away       bool   `db:"away"`
}

const selectRecipients = `
SELECT id, timezone, notify, quiet_start, quiet_end, COALESCE(manager_id, '') AS manager_id, role, away
FROM users
WHERE workspace_id = $1 AND id = ANY($2::text[]) AND NOT deactivated`

// Managers are people with the manager role or with someone reporting to them.
const selectManagers = `
SELECT id, timezone, notify, quiet_start, quiet_end, COALESCE(manager_id, '') AS manager_id, role, away
FROM users u
WHERE u.workspace_id = $1 AND NOT u.deactivated
  AND (u.role = 'manager' OR EXISTS (SELECT 1 FROM users r WHERE r.workspace_id = u.workspace_id AND r.manager_id = u.id))
ORDER BY u.id`

const updateNotify = `
UPDATE users SET notify = $3, quiet_start = $4, quiet_end = $5, updated_at = now()
WHERE workspace_id = $1 AND id = $2`

// Recipients returns the notification choices of the given people of the
// workspace, by ID; deactivated and unknown people are left out.
func (s *Store) Recipients(ctx context.Context, teamID string, ids []string) (map[string]Recipient, error) {
	var rows []Recipient
	if err := sqlx.SelectContext(ctx, s.db, &rows, selectRecipients, teamID, pq.StringArray(ids)); err != nil {
		return nil, fmt.Errorf("store: recipients in %s: %w", teamID, err)
	}
	out := make(map[string]Recipient, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// Managers returns the workspace's managers, for the digest they each get.
func (s *Store) Managers(ctx context.Context, teamID string) ([]Recipient, error) {
	var rows []Recipient
	if err := sqlx.SelectContext(ctx, s.db, &rows, selectManagers, teamID); err != nil {
		return nil, fmt.Errorf("store: managers of %s: %w", teamID, err)
	}
	return rows, nil
}

// SetNotify stores a person's notification choices (kind → wanted, as
// JSON) and quiet hours ("HH:MM" or both empty). ErrNotFound for an unknown person.
func (s *Store) SetNotify(ctx context.Context, teamID, userID string, notifyJSON []byte, quietStart, quietEnd string) error {
	return setNotify(ctx, s.db, teamID, userID, notifyJSON, quietStart, quietEnd)
}

// SetNotifyTx is SetNotify inside the caller's transaction.
func (s *Store) SetNotifyTx(ctx context.Context, tx *sqlx.Tx, teamID, userID string, notifyJSON []byte, quietStart, quietEnd string) error {
	return setNotify(ctx, tx, teamID, userID, notifyJSON, quietStart, quietEnd)
}

func setNotify(ctx context.Context, ex Executor, teamID, userID string, notifyJSON []byte, quietStart, quietEnd string) error {
	res, err := ex.ExecContext(ctx, updateNotify, teamID, userID, notifyJSON, quietStart, quietEnd)
	if err != nil {
		return fmt.Errorf("store: notify choices of %s: %w", userID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: notify choices of %s: %w", userID, ErrNotFound)
	}
	return nil
}

// SaveSettingsAndStages stores st (as SaveSettings) and the stale
// thresholds, labels and probabilities of defs (as UpdateStages) in one
// transaction: a settings form is saved whole or not at all.
func (s *Store) SaveSettingsAndStages(ctx context.Context, st pipeline.Settings, defs []pipeline.StageDef) error {
	return s.WithTx(ctx, func(tx *sqlx.Tx) error { return s.SaveSettingsAndStagesTx(ctx, tx, st, defs) })
}

// SaveSettingsAndStagesTx is SaveSettingsAndStages inside the caller's
// transaction.
func (s *Store) SaveSettingsAndStagesTx(ctx context.Context, tx *sqlx.Tx, st pipeline.Settings, defs []pipeline.StageDef) error {
	days := make(pq.Int64Array, len(st.WorkingDays))
	for i, d := range st.WorkingDays {
		days[i] = int64(d)
	}
	jobs := st.Jobs
	if jobs == nil {
		jobs = map[string]bool{}
	}
	jobsJSON, err := json.Marshal(jobs)
	if err != nil {
		return fmt.Errorf("store: save settings of %s: encode jobs: %w", st.WorkspaceID, err)
	}
	err = func() error {
		res, err := tx.ExecContext(ctx, updateSettings, st.WorkspaceID, st.Currency, st.Timezone,
			st.CelebrationChannel, st.DigestChannel, st.AlertsChannel, st.DigestTime, days, st.BigDealMinor,
			st.HandoffTimeoutMins, st.FollowupSnoozeMins, jobsJSON)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			return ErrNotFound
		}
		if len(defs) == 0 {
			return nil
		}
		return updateStages(ctx, tx, st.WorkspaceID, defs)
	}()
	if err != nil {
		return fmt.Errorf("store: save settings of %s: %w", st.WorkspaceID, err)
	}
	return nil
}
