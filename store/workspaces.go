package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const selectSettings = `
SELECT workspace_id, currency, timezone, celebration_channel, digest_channel, alerts_channel,
       digest_time, working_days, big_deal_minor, handoff_timeout_mins, followup_snooze_mins, jobs,
       response_sla_mins, work_start_min, work_end_min
FROM workspace_settings
WHERE workspace_id = $1`

const insertWorkspace = `
INSERT INTO workspaces (id) VALUES ($1)
ON CONFLICT (id) DO NOTHING`

const insertSettings = `
INSERT INTO workspace_settings (workspace_id, currency, timezone, celebration_channel, digest_channel,
    alerts_channel, digest_time, working_days, big_deal_minor, handoff_timeout_mins, followup_snooze_mins, jobs)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
ON CONFLICT (workspace_id) DO NOTHING`

type settingsRow struct {
	WorkspaceID        string        `db:"workspace_id"`
	Currency           string        `db:"currency"`
	Timezone           string        `db:"timezone"`
	CelebrationChannel string        `db:"celebration_channel"`
	DigestChannel      string        `db:"digest_channel"`
	AlertsChannel      string        `db:"alerts_channel"`
	DigestTime         string        `db:"digest_time"`
	WorkingDays        pq.Int64Array `db:"working_days"`
	BigDealMinor       int64         `db:"big_deal_minor"`
	HandoffTimeoutMins int           `db:"handoff_timeout_mins"`
	FollowupSnoozeMins int           `db:"followup_snooze_mins"`
	Jobs               []byte        `db:"jobs"`
	ResponseSLAMins    int           `db:"response_sla_mins"`
	WorkStartMin       int           `db:"work_start_min"`
	WorkEndMin         int           `db:"work_end_min"`
}

func (r settingsRow) settings() (pipeline.Settings, error) {
	s := pipeline.Settings{
		WorkspaceID:        r.WorkspaceID,
		Currency:           r.Currency,
		Timezone:           r.Timezone,
		CelebrationChannel: r.CelebrationChannel,
		DigestChannel:      r.DigestChannel,
		AlertsChannel:      r.AlertsChannel,
		DigestTime:         r.DigestTime,
		WorkingDays:        make([]int, len(r.WorkingDays)),
		BigDealMinor:       r.BigDealMinor,
		HandoffTimeoutMins: r.HandoffTimeoutMins,
		FollowupSnoozeMins: r.FollowupSnoozeMins,
		ResponseSLAMins:    r.ResponseSLAMins,
		WorkStartMin:       r.WorkStartMin,
		WorkEndMin:         r.WorkEndMin,
		Jobs:               map[string]bool{},
	}
	for i, d := range r.WorkingDays {
		s.WorkingDays[i] = int(d)
	}
	if err := json.Unmarshal(r.Jobs, &s.Jobs); err != nil {
		return pipeline.Settings{}, fmt.Errorf("read jobs: %w", err)
	}
	return s, nil
}

// Settings returns the workspace's settings, or ErrNotFound before the
// workspace has been seen.
func (s *Store) Settings(ctx context.Context, ex Executor, teamID string) (pipeline.Settings, error) {
	return s.settings(ctx, ex, teamID)
}

func (s *Store) settings(ctx context.Context, ex Executor, teamID string) (pipeline.Settings, error) {
	var row settingsRow
	if err := s.get(ctx, ex, &row, selectSettings, teamID); err != nil {
		return pipeline.Settings{}, fmt.Errorf("store: settings of %s: %w", teamID, notFound(err))
	}
	st, err := row.settings()
	if err != nil {
		return pipeline.Settings{}, fmt.Errorf("store: settings of %s: %w", teamID, err)
	}
	return st, nil
}

// EnsureWorkspace returns the workspace's settings, creating the workspace,
// its settings (from defaults) and its default stages on first sight. When
// the workspace exists it costs one query, so it can run on every request.
// Zero fields of defaults take the standard defaults (USD, UTC, 08:30,
// Monday to Friday, 4 h handoff timeout, 1 day follow-up snooze).
func (s *Store) EnsureWorkspace(ctx context.Context, ex Executor, teamID string, defaults pipeline.Settings) (pipeline.Settings, error) {
	if teamID == "" {
		return pipeline.Settings{}, errors.New("store: ensure workspace: empty team ID")
	}
	st, err := s.settings(ctx, ex, teamID)
	if !errors.Is(err, ErrNotFound) {
		return st, err
	}
	err = s.inTx(ctx, ex, func(tx *sqlx.Tx) error {
		if err := createWorkspace(ctx, tx, teamID, withDefaults(defaults)); err != nil {
			return err
		}
		st, err = s.settings(ctx, tx, teamID)
		return err
	})
	if err != nil {
		return pipeline.Settings{}, fmt.Errorf("store: ensure workspace %s: %w", teamID, err)
	}
	return st, nil
}

// createWorkspace inserts what a new workspace needs. Every insert does
// nothing on conflict, so replicas seeing a new team at once both succeed.
func createWorkspace(ctx context.Context, ex Executor, teamID string, d pipeline.Settings) error {
	if _, err := ex.ExecContext(ctx, insertWorkspace, teamID); err != nil {
		return fmt.Errorf("insert workspace: %w", err)
	}
	days := make(pq.Int64Array, len(d.WorkingDays))
	for i, v := range d.WorkingDays {
		days[i] = int64(v)
	}
	jobs, err := json.Marshal(d.Jobs)
	if err != nil {
		return fmt.Errorf("encode jobs: %w", err)
	}
	if _, err := ex.ExecContext(ctx, insertSettings, teamID, d.Currency, d.Timezone, d.CelebrationChannel,
		d.DigestChannel, d.AlertsChannel, d.DigestTime, days, d.BigDealMinor, d.HandoffTimeoutMins,
		d.FollowupSnoozeMins, jobs); err != nil {
		return fmt.Errorf("insert settings: %w", err)
	}
	return insertStages(ctx, ex, teamID, pipeline.DefaultStages())
}

// withDefaults fills the zero fields of d with the standard defaults.
func withDefaults(d pipeline.Settings) pipeline.Settings {
	if d.Currency == "" {
		d.Currency = "USD"
	}
	if d.Timezone == "" {
		d.Timezone = "UTC"
	}
	if d.DigestTime == "" {
		d.DigestTime = "08:30"
	}
	if len(d.WorkingDays) == 0 {
		d.WorkingDays = []int{1, 2, 3, 4, 5}
	}
	if d.HandoffTimeoutMins == 0 {
		d.HandoffTimeoutMins = 240
	}
	if d.FollowupSnoozeMins == 0 {
		d.FollowupSnoozeMins = 24 * 60
	}
	if d.Jobs == nil {
		d.Jobs = map[string]bool{}
	}
	return d
}

const selectScheduled = `
SELECT s.workspace_id, s.currency, s.timezone, s.celebration_channel, s.digest_channel, s.alerts_channel,
       s.digest_time, s.working_days, s.big_deal_minor, s.handoff_timeout_mins, s.followup_snooze_mins, s.jobs,
       s.response_sla_mins, s.work_start_min, s.work_end_min, w.created_at
FROM workspace_settings s JOIN workspaces w ON w.id = s.workspace_id
WHERE $1 = '' OR s.workspace_id = $1
ORDER BY s.workspace_id`

// ScheduledWorkspace is a workspace as the scheduler's tick sees it.
type ScheduledWorkspace struct {
	pipeline.Settings
	CreatedAt time.Time
}

// ScheduledWorkspaces returns every workspace's settings and creation time
// (only teamID's when it is not empty), for the scheduler's tick.
func (s *Store) ScheduledWorkspaces(ctx context.Context, ex Executor, teamID string) ([]ScheduledWorkspace, error) {
	var rows []struct {
		settingsRow
		CreatedAt time.Time `db:"created_at"`
	}
	if err := sqlx.SelectContext(ctx, ex, &rows, selectScheduled, teamID); err != nil {
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

// Workspaces returns the IDs of the workspaces in the database.
func (s *Store) Workspaces(ctx context.Context, ex Executor) ([]string, error) {
	var ids []string
	if err := sqlx.SelectContext(ctx, ex, &ids, `SELECT id FROM workspaces ORDER BY id`); err != nil {
		return nil, fmt.Errorf("store: workspaces: %w", err)
	}
	return ids, nil
}
