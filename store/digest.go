package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// Digest queries. Each reads one index: deals created in a window
// (deals_created_idx), stage moves by time (deal_history_workspace_idx),
// deals closed in a window (deals_closed_idx), open deals (the open-deal
// partial indexes) and undone follow-ups (follow_ups_owner_idx). $2 is the
// owners filter, as in metrics.go.

// New deals in [$3, $4), oldest first, with how many there were in all.
const newDealsSQL = `
WITH picked AS (
    SELECT d.id, d.created_at, count(*) OVER () AS total
    FROM deals d
    WHERE d.workspace_id = $1 AND d.created_at >= $3 AND d.created_at < $4 AND ` + ownersFilter + `
    ORDER BY d.created_at, d.id
    LIMIT $5
)
SELECT p.total, x.* FROM picked p
JOIN LATERAL (` + selectDeals + ` WHERE d.id = p.id) x ON true
ORDER BY p.created_at, p.id`

// Deals closed in [$3, $4), won and lost, most valuable first.
const closedInSQL = selectDeals + `
WHERE d.workspace_id = $1 AND d.closed_at IS NOT NULL AND d.closed_at >= $3 AND d.closed_at < $4 AND ` + ownersFilter + `
ORDER BY d.amount_minor DESC, d.id
LIMIT $5`

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

// Open deals idle past their stage's threshold at $3, not snoozed: the
// stale scan's predicate, counted.
const staleCountSQL = `
SELECT count(*)
FROM deals d
JOIN stages s ON s.workspace_id = d.workspace_id AND s.key = d.stage
WHERE d.workspace_id = $1
  AND d.stage NOT IN ('won', 'lost')
  AND s.stale_days > 0
  AND d.last_activity_at < $3::timestamptz - make_interval(days => s.stale_days)
  AND (d.snoozed_until IS NULL OR d.snoozed_until <= $3) AND ` + ownersFilter

// Follow-ups due before $3 and not done.
const overdueSQL = `
SELECT count(*)
FROM follow_ups d
WHERE d.workspace_id = $1 AND d.done_at IS NULL AND d.due_at < $3 AND ` + ownersFilter

// Open deals expected to close in [$3, $4) (dates), largest first.
const closingSQL = selectDeals + `
WHERE d.workspace_id = $1 AND d.stage NOT IN ('won', 'lost') AND d.expected_close IS NOT NULL
  AND d.expected_close >= $3::date AND d.expected_close < $4::date AND ` + ownersFilter + `
ORDER BY d.amount_minor DESC, d.expected_close, d.id
LIMIT $5`

type newDealRow struct {
	Total int `db:"total"`
	dealRow
}

// NewDeals returns the first limit deals of ownerIDs (nil = everyone)
// created in p, oldest first, and how many were created in all.
func (s *Store) NewDeals(ctx context.Context, teamID string, ownerIDs []string, p pipeline.Period, limit int) ([]pipeline.Deal, int, error) {
	var rows []newDealRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, newDealsSQL, teamID, owners(ownerIDs), p.From, p.To, limit); err != nil {
		return nil, 0, fmt.Errorf("store: new deals of %s: %w", teamID, err)
	}
	out := make([]pipeline.Deal, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.deal(), r.Total
	}
	return out, total, nil
}

// ClosedIn returns up to limit deals of ownerIDs closed (won or lost) in p,
// most valuable first.
func (s *Store) ClosedIn(ctx context.Context, teamID string, ownerIDs []string, p pipeline.Period, limit int) ([]pipeline.Deal, error) {
	return s.selectDeals(ctx, "deals closed of "+teamID, closedInSQL, teamID, owners(ownerIDs), p.From, p.To, limit)
}

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
func (s *Store) StageMoves(ctx context.Context, teamID string, ownerIDs []string, p pipeline.Period, limit int) ([]pipeline.StageMove, int, error) {
	var rows []moveRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, stageMovesSQL, teamID, owners(ownerIDs), p.From, p.To, limit); err != nil {
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

// StaleCount counts the open deals of ownerIDs that StaleDeals would return at now.
func (s *Store) StaleCount(ctx context.Context, teamID string, ownerIDs []string, now time.Time) (int, error) {
	var n int
	if err := sqlx.GetContext(ctx, s.db, &n, staleCountSQL, teamID, owners(ownerIDs), now); err != nil {
		return 0, fmt.Errorf("store: stale count of %s: %w", teamID, err)
	}
	return n, nil
}

// OverdueCount counts the follow-ups of ownerIDs due before now and not done.
func (s *Store) OverdueCount(ctx context.Context, teamID string, ownerIDs []string, now time.Time) (int, error) {
	var n int
	if err := sqlx.GetContext(ctx, s.db, &n, overdueSQL, teamID, owners(ownerIDs), now); err != nil {
		return 0, fmt.Errorf("store: overdue follow-ups of %s: %w", teamID, err)
	}
	return n, nil
}

// ClosingIn returns up to limit open deals of ownerIDs expected to close in
// p (by date in p's timezone), largest amount first.
func (s *Store) ClosingIn(ctx context.Context, teamID string, ownerIDs []string, p pipeline.Period, limit int) ([]pipeline.Deal, error) {
	return s.selectDeals(ctx, "deals closing of "+teamID, closingSQL, teamID, owners(ownerIDs),
		p.From.Format(time.DateOnly), p.To.Format(time.DateOnly), limit)
}
