package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

// The settings and the ideal customer profile of a workspace, in one
// statement: what a request that scores a lead reads of its workspace.
const selectSettingsICP = `
SELECT workspace_id, currency, timezone, celebration_channel, digest_channel, alerts_channel,
       digest_time, working_days, big_deal_minor, handoff_timeout_mins, followup_snooze_mins, jobs,
       response_sla_mins, work_start_min, work_end_min, icp_industries, icp_sizes
FROM workspace_settings
WHERE workspace_id = $1`

type settingsICPRow struct {
	settingsRow
	Industries pq.StringArray `db:"icp_industries"`
	Sizes      pq.StringArray `db:"icp_sizes"`
}

// EnsureWorkspaceICP is EnsureWorkspace returning the workspace's ICP too,
// read by the same statement: one query when the workspace exists.
func (s *Store) EnsureWorkspaceICP(ctx context.Context, ex Executor, teamID string, defaults pipeline.Settings) (pipeline.Settings, pipeline.ICP, error) {
	if teamID == "" {
		return pipeline.Settings{}, pipeline.ICP{}, errors.New("store: ensure workspace: empty team ID")
	}
	st, icp, err := s.settingsICP(ctx, ex, teamID)
	if !errors.Is(err, ErrNotFound) {
		return st, icp, err
	}
	err = s.inTx(ctx, ex, func(tx *sqlx.Tx) error {
		if err := createWorkspace(ctx, tx, teamID, withDefaults(defaults)); err != nil {
			return err
		}
		st, icp, err = s.settingsICP(ctx, tx, teamID)
		return err
	})
	if err != nil {
		return pipeline.Settings{}, pipeline.ICP{}, fmt.Errorf("store: ensure workspace %s: %w", teamID, err)
	}
	return st, icp, nil
}

func (s *Store) settingsICP(ctx context.Context, ex Executor, teamID string) (pipeline.Settings, pipeline.ICP, error) {
	var row settingsICPRow
	if err := s.get(ctx, ex, &row, selectSettingsICP, teamID); err != nil {
		return pipeline.Settings{}, pipeline.ICP{}, fmt.Errorf("store: settings of %s: %w", teamID, notFound(err))
	}
	st, err := row.settings()
	if err != nil {
		return pipeline.Settings{}, pipeline.ICP{}, fmt.Errorf("store: settings of %s: %w", teamID, err)
	}
	return st, pipeline.ICP{Industries: row.Industries, Sizes: row.Sizes}, nil
}
