package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

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
func (s *Store) History(ctx context.Context, ex Executor, teamID string, dealID int64) ([]pipeline.HistoryEntry, error) {
	var rows []historyRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectHistory, teamID, dealID); err != nil {
		return nil, fmt.Errorf("store: history of deal %d: %w", dealID, err)
	}
	out := make([]pipeline.HistoryEntry, len(rows))
	for i, r := range rows {
		out[i] = pipeline.HistoryEntry{ID: r.ID, DealID: r.DealID, ActorID: r.ActorID, Action: r.Action,
			Field: r.Field, OldValue: r.OldValue, NewValue: r.NewValue, CreatedAt: r.CreatedAt}
	}
	return out, nil
}

// All of one change's history rows go in one statement, in the given order.
const insertHistorySQL = `
INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, old_value, new_value, created_at)
SELECT $1, $2, NULLIF($3::text, ''), h.action, h.field, h.old_value, h.new_value, $8::timestamptz
FROM unnest($4::text[], $5::text[], $6::text[], $7::text[]) WITH ORDINALITY AS h(action, field, old_value, new_value, n)
ORDER BY h.n`

// History actions written by the lifecycle.
const (
	actionStage    = "stage"
	actionReopened = "reopened"
	actionField    = "field"
	actionOwner    = "owner"
	actionHandoff  = "handoff"
)

// entry is one deal_history row to append.
type entry struct{ action, field, old, new string }

// appendHistory appends entries to the history of the workspace's deal, by
// actor ("" for the bot), at at, in one statement.
func (s *Store) appendHistory(ctx context.Context, ex Executor, teamID string, dealID int64, actor string, at time.Time, entries ...entry) error {
	var actions, fields, olds, news pq.StringArray
	for _, e := range entries {
		actions, fields = append(actions, e.action), append(fields, e.field)
		olds, news = append(olds, e.old), append(news, e.new)
	}
	if err := s.exec(ctx, ex, insertHistorySQL, teamID, dealID, actor, actions, fields, olds, news, at); err != nil {
		return fmt.Errorf("append history: %w", err)
	}
	return nil
}

// Moves between stages in [$3, $4), oldest first; closing moves are left
// out (the digest lists won and lost deals on their own).
const stageMovesSQL = `
SELECT d.number, a.name AS account_name, d.title, COALESCE(h.actor_id, '') AS actor_id,
       h.old_value, h.new_value, h.created_at, count(*) OVER () AS total
FROM deal_history h
JOIN deals d ON d.id = h.deal_id
JOIN accounts a ON a.id = d.account_id
WHERE h.workspace_id = $1 AND h.created_at >= $3 AND h.created_at < $4
  AND h.action = 'stage' AND h.field = 'stage' AND h.new_value NOT IN ('won', 'lost') AND ` + ownersFilter + `
ORDER BY h.created_at, h.id
LIMIT $5`

type moveRow struct {
	Number      int64     `db:"number"`
	AccountName string    `db:"account_name"`
	Title       string    `db:"title"`
	ActorID     string    `db:"actor_id"`
	OldValue    string    `db:"old_value"`
	NewValue    string    `db:"new_value"`
	CreatedAt   time.Time `db:"created_at"`
	Total       int       `db:"total"`
}

// StageMoves returns the first limit moves between stages of the deals of
// ownerIDs in p (closing moves left out), oldest first, and how many there
// were in all.
func (s *Store) StageMoves(ctx context.Context, ex Executor, teamID string, ownerIDs []string, p pipeline.Period, limit int) ([]pipeline.StageMove, int, error) {
	var rows []moveRow
	if err := sqlx.SelectContext(ctx, ex, &rows, stageMovesSQL, teamID, owners(ownerIDs), p.From, p.To, limit); err != nil {
		return nil, 0, fmt.Errorf("store: stage moves of %s: %w", teamID, err)
	}
	out := make([]pipeline.StageMove, len(rows))
	total := 0
	for i, r := range rows {
		out[i] = pipeline.StageMove{DealNumber: r.Number, AccountName: r.AccountName, Title: r.Title, ActorID: r.ActorID,
			From: pipeline.Stage(r.OldValue), To: pipeline.Stage(r.NewValue), At: r.CreatedAt}
		total = r.Total
	}
	return out, total, nil
}
