package store

import (
	"context"
	"fmt"
	"time"

	"salesbot/pipeline"
)

// LastStageEntry is the ID of the newest stage move in the history of the
// workspace's deal dealID and who made it (0, "" when it never moved). Only
// moves write such entries, under the deal's lock, so read in the move's
// transaction it is that move's: the key that keeps its room notices from
// being sent twice.
func (s *Store) LastStageEntry(ctx context.Context, ex Executor, teamID string, dealID int64) (id int64, by string, err error) {
	var row struct {
		ID int64  `db:"id"`
		By string `db:"actor_id"`
	}
	err = s.get(ctx, ex, &row, `SELECT COALESCE(max(id), 0) AS id, COALESCE((array_agg(actor_id ORDER BY id DESC))[1], '') AS actor_id
		FROM deal_history WHERE workspace_id = $1 AND deal_id = $2 AND action = 'stage' AND field = 'stage'`, teamID, dealID)
	if err != nil {
		return 0, "", fmt.Errorf("store: last stage move of deal %d: %w", dealID, err)
	}
	return row.ID, row.By, nil
}

// SetRoomArchiveAt sets when the room of the workspace's deal dealID is due
// to be archived (nil: not due), unless it is archived already.
func (s *Store) SetRoomArchiveAt(ctx context.Context, ex Executor, teamID string, dealID int64, at *time.Time) error {
	err := s.exec(ctx, ex, `UPDATE deal_rooms SET archive_at = $3
		WHERE workspace_id = $1 AND deal_id = $2 AND state <> 'archived'`, teamID, dealID, at)
	if err != nil {
		return fmt.Errorf("store: room archive time of deal %d: %w", dealID, err)
	}
	return nil
}

// DealBrief reads the workspace's deal dealID's history in brief: its stage
// moves oldest first, how many activities were logged on it and its
// discount requests by state.
func (s *Store) DealBrief(ctx context.Context, ex Executor, teamID string, dealID int64) (pipeline.DealBrief, error) {
	b := pipeline.DealBrief{Approvals: map[pipeline.ApprovalState]int{}}
	var steps []struct {
		From string    `db:"old_value"`
		To   string    `db:"new_value"`
		At   time.Time `db:"created_at"`
	}
	if err := s.sel(ctx, ex, &steps, `SELECT old_value, new_value, created_at FROM deal_history
		WHERE workspace_id = $1 AND deal_id = $2 AND action = 'stage' AND field = 'stage'
		ORDER BY created_at, id`, teamID, dealID); err != nil {
		return b, fmt.Errorf("store: stage moves of deal %d: %w", dealID, err)
	}
	for _, st := range steps {
		b.Steps = append(b.Steps, pipeline.StageStep{From: pipeline.Stage(st.From), To: pipeline.Stage(st.To), At: st.At})
	}
	if err := s.get(ctx, ex, &b.Activities, `SELECT count(*) FROM activities WHERE workspace_id = $1 AND deal_id = $2`,
		teamID, dealID); err != nil {
		return b, fmt.Errorf("store: activities of deal %d: %w", dealID, err)
	}
	var states []struct {
		State string `db:"state"`
		N     int    `db:"n"`
	}
	if err := s.sel(ctx, ex, &states, `SELECT state, count(*) AS n FROM approvals
		WHERE workspace_id = $1 AND deal_id = $2 GROUP BY state`, teamID, dealID); err != nil {
		return b, fmt.Errorf("store: approvals of deal %d: %w", dealID, err)
	}
	for _, st := range states {
		b.Approvals[pipeline.ApprovalState(st.State)] = st.N
	}
	return b, nil
}

// LastHistoryEntry is the ID of the deal's newest history entry (0: none):
// what keys a room's post of the change just written.
func (s *Store) LastHistoryEntry(ctx context.Context, ex Executor, teamID string, dealID int64) (int64, error) {
	var id int64
	err := s.get(ctx, ex, &id, `SELECT COALESCE(max(id), 0) FROM deal_history WHERE workspace_id = $1 AND deal_id = $2`, teamID, dealID)
	if err != nil {
		return 0, fmt.Errorf("store: last history entry of deal %d: %w", dealID, err)
	}
	return id, nil
}
