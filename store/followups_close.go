package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Closing a deal finishes its open follow-ups; post-sale check-ins (kind
// checkin) are for after the close and stay.
const closeDealFollowUps = `
WITH f AS (
    UPDATE follow_ups SET done_at = $4
    WHERE workspace_id = $1 AND deal_id = $2 AND kind = 'followup' AND done_at IS NULL
    RETURNING *
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, new_value, created_at)
    SELECT workspace_id, deal_id, NULLIF($3::text, ''), 'followup', 'closed', ` + followUpLabel + `, $4 FROM f
)
SELECT id FROM f ORDER BY id`

// Only those still done at the close's own time reopen: a second click, or
// one done by hand since, matches nothing.
const keepDealFollowUps = `
WITH f AS (
    UPDATE follow_ups SET done_at = NULL
    WHERE workspace_id = $1 AND deal_id = $2 AND kind = 'followup' AND id = ANY($3::bigint[]) AND done_at = $4
    RETURNING *
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, new_value, created_at)
    SELECT workspace_id, deal_id, NULLIF($5::text, ''), 'followup', 'kept', ` + followUpLabel + `, $6 FROM f
)
SELECT id FROM f ORDER BY id`

// CloseDealFollowUps marks the deal's open follow-ups (not its check-ins)
// done at now, as closing the deal does, with a "followup" history entry
// (field "closed") each, and returns their IDs.
func (s *Store) CloseDealFollowUps(ctx context.Context, ex Executor, teamID string, dealID int64, actorID string, now time.Time) ([]int64, error) {
	var ids []int64
	if err := sqlx.SelectContext(ctx, ex, &ids, closeDealFollowUps, teamID, dealID, actorID, now); err != nil {
		return nil, fmt.Errorf("store: close follow-ups of deal %d: %w", dealID, err)
	}
	return ids, nil
}

// KeepDealFollowUps reopens those of ids on the deal that closing it marked
// done at closedAt and are done still, with a "followup" history entry
// (field "kept") each at now, and returns the IDs it reopened.
func (s *Store) KeepDealFollowUps(ctx context.Context, ex Executor, teamID string, dealID int64, ids []int64, closedAt time.Time, actorID string, now time.Time) ([]int64, error) {
	if err := s.ensurePeople(ctx, ex, teamID, actorID); err != nil {
		return nil, err
	}
	var kept []int64
	if err := sqlx.SelectContext(ctx, ex, &kept, keepDealFollowUps, teamID, dealID, pq.Int64Array(ids), closedAt, actorID, now); err != nil {
		return nil, fmt.Errorf("store: keep follow-ups of deal %d: %w", dealID, err)
	}
	return kept, nil
}
