package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

const selectHistory = `
SELECT id, deal_id, COALESCE(actor_id, '') AS actor_id, action, field, old_value, new_value, created_at
FROM deal_history
WHERE workspace_id = $1 AND deal_id = $2
ORDER BY created_at DESC, id DESC`

type historyRow struct {
	ID        int64     `db:"id"`
	DealID    int64     `db:"deal_id"`
	ActorID   string    `db:"actor_id"`
	Action    string    `db:"action"`
	Field     string    `db:"field"`
	OldValue  string    `db:"old_value"`
	NewValue  string    `db:"new_value"`
	CreatedAt time.Time `db:"created_at"`
}

// History returns the audit history of the workspace's deal dealID, newest
// first; it is empty for a deal of another workspace.
func (s *Store) History(ctx context.Context, teamID string, dealID int64) ([]pipeline.HistoryEntry, error) {
	var rows []historyRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, selectHistory, teamID, dealID); err != nil {
		return nil, fmt.Errorf("store: history of deal %d: %w", dealID, err)
	}
	out := make([]pipeline.HistoryEntry, len(rows))
	for i, r := range rows {
		out[i] = pipeline.HistoryEntry{ID: r.ID, DealID: r.DealID, ActorID: r.ActorID, Action: r.Action,
			Field: r.Field, OldValue: r.OldValue, NewValue: r.NewValue, CreatedAt: r.CreatedAt}
	}
	return out, nil
}
