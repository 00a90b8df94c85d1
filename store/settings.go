package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const updateSettings = `
UPDATE workspace_settings SET
    currency = $2, timezone = $3, celebration_channel = $4, digest_channel = $5, alerts_channel = $6,
    digest_time = $7, working_days = $8, big_deal_minor = $9, handoff_timeout_mins = $10,
    followup_snooze_mins = $11, jobs = $12,
    response_sla_mins = COALESCE(NULLIF($13, 0), response_sla_mins),
    work_start_min = CASE WHEN $15 > 0 THEN $14 ELSE work_start_min END,
    work_end_min = CASE WHEN $15 > 0 THEN $15 ELSE work_end_min END, updated_at = now()
WHERE workspace_id = $1`

// Updates the given stages of a workspace in one statement; stages it does
// not name keep their values.
const updateStagesSQL = `
UPDATE stages s SET label = u.label, probability = u.probability, stale_days = u.stale_days
FROM unnest($2::text[], $3::text[], $4::int[], $5::int[]) AS u(key, label, probability, stale_days)
WHERE s.workspace_id = $1 AND s.key = u.key`

// SaveSettings stores every field of st as the settings of workspace
// st.WorkspaceID; the caller has validated them (the table's CHECKs refuse
// what slips through, and then nothing is written). ErrNotFound when the
// workspace is unknown.
func (s *Store) SaveSettings(ctx context.Context, ex Executor, st pipeline.Settings) error {
	return s.SaveSettingsAndStages(ctx, ex, st, nil)
}

// UpdateStages stores the label, probability and stale threshold of each of
// the workspace's stages in defs, by key, in one statement; keys and order
// are not changed. ErrNotFound, and nothing written, when a key is not one
// of the workspace's stages.
func (s *Store) UpdateStages(ctx context.Context, ex Executor, teamID string, defs []pipeline.StageDef) error {
	// In a transaction: the statement's updates are undone when a key is unknown.
	if err := s.inTx(ctx, ex, func(tx *sqlx.Tx) error { return updateStages(ctx, tx, teamID, defs) }); err != nil {
		return fmt.Errorf("store: update stages of %s: %w", teamID, err)
	}
	return nil
}

// updateStages is UpdateStages without the wrapped error.
func updateStages(ctx context.Context, ex Executor, teamID string, defs []pipeline.StageDef) error {
	var (
		keys, labels    pq.StringArray
		prob, staleDays pq.Int64Array
	)
	for _, d := range defs {
		keys, labels = append(keys, string(d.Key)), append(labels, d.Label)
		prob, staleDays = append(prob, int64(d.Probability)), append(staleDays, int64(d.StaleDays))
	}
	res, err := ex.ExecContext(ctx, updateStagesSQL, teamID, keys, labels, prob, staleDays)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n != int64(len(defs)) {
		return ErrNotFound
	}
	return nil
}

const selectICP = `SELECT icp_industries, icp_sizes FROM workspace_settings WHERE workspace_id = $1`

const updateICP = `UPDATE workspace_settings SET icp_industries = $2, icp_sizes = $3, updated_at = now() WHERE workspace_id = $1`

// ICP returns the workspace's ideal customer profile, in ex when ex is not nil.
func (s *Store) ICP(ctx context.Context, ex Executor, teamID string) (pipeline.ICP, error) {
	var row struct {
		Industries pq.StringArray `db:"icp_industries"`
		Sizes      pq.StringArray `db:"icp_sizes"`
	}
	if err := sqlx.GetContext(ctx, ex, &row, selectICP, teamID); err != nil {
		return pipeline.ICP{}, fmt.Errorf("store: ICP of %s: %w", teamID, notFound(err))
	}
	return pipeline.ICP{Industries: row.Industries, Sizes: row.Sizes}, nil
}

// SaveICP stores the workspace's ideal customer profile.
func (s *Store) SaveICP(ctx context.Context, ex Executor, teamID string, icp pipeline.ICP) error {
	res, err := ex.ExecContext(ctx, updateICP, teamID, pq.StringArray(nonNil(icp.Industries)), pq.StringArray(nonNil(icp.Sizes)))
	if err != nil {
		return fmt.Errorf("store: save ICP of %s: %w", teamID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: save ICP of %s: %w", teamID, ErrNotFound)
	}
	return nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SaveSettingsAndStages stores st (as SaveSettings) and the stale
// thresholds, labels and probabilities of defs (as UpdateStages) in one
// transaction (ex's, when it is one): a settings form is saved whole or not
// at all.
func (s *Store) SaveSettingsAndStages(ctx context.Context, ex Executor, st pipeline.Settings, defs []pipeline.StageDef) error {
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
	err = s.inTx(ctx, ex, func(tx *sqlx.Tx) error {
		res, err := tx.ExecContext(ctx, updateSettings, st.WorkspaceID, st.Currency, st.Timezone,
			st.CelebrationChannel, st.DigestChannel, st.AlertsChannel, st.DigestTime, days, st.BigDealMinor,
			st.HandoffTimeoutMins, st.FollowupSnoozeMins, jobsJSON, st.ResponseSLAMins, st.WorkStartMin, st.WorkEndMin)
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
	})
	if err != nil {
		return fmt.Errorf("store: save settings of %s: %w", st.WorkspaceID, err)
	}
	return nil
}
