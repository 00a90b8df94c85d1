package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

// Undone follow-ups of these owners due by $3, served by follow_ups_owner_idx
// (workspace_id, owner_id, due_at) over undone rows.
const selectFollowUpsDue = `
SELECT ` + followUpColumns + `, d.title AS deal_title, a.name AS account_name
FROM follow_ups f
JOIN deals d ON d.id = f.deal_id
JOIN accounts a ON a.id = d.account_id
WHERE f.workspace_id = $1 AND f.owner_id = ANY($2::text[]) AND f.done_at IS NULL AND f.due_at <= $3
ORDER BY f.due_at, f.id
LIMIT $4`

// Stale deals of these owners only, from deals_open_owner_idx.
const selectStaleDealsOf = selectStaleDeals + `
  AND d.owner_id = ANY($3::text[])
ORDER BY d.owner_id, d.last_activity_at, d.id
LIMIT $4`

// Open deals per owner: count and amount in the workspace currency.
const selectOpenByOwner = `
SELECT d.owner_id, count(*) AS open,
       COALESCE(sum(d.amount_minor) FILTER (WHERE d.currency = ws.currency), 0) AS amount_minor
FROM deals d
JOIN workspace_settings ws ON ws.workspace_id = d.workspace_id
WHERE d.workspace_id = $1 AND d.owner_id = ANY($2::text[]) AND d.stage NOT IN ('won', 'lost')
GROUP BY d.owner_id`

// FollowUpsDue returns up to limit undone follow-ups of the owners due at or
// before by, earliest first (overdue ones included).
func (s *Store) FollowUpsDue(ctx context.Context, teamID string, owners []string, by time.Time, limit int) ([]DueFollowUp, error) {
	var rows []dueFollowUpRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, selectFollowUpsDue, teamID, pq.StringArray(owners), by, limit); err != nil {
		return nil, fmt.Errorf("store: follow-ups due in %s: %w", teamID, err)
	}
	out := make([]DueFollowUp, len(rows))
	for i, r := range rows {
		out[i] = DueFollowUp{FollowUp: r.followUp(), DealTitle: r.DealTitle, AccountName: r.AccountName}
	}
	return out, nil
}

// StaleDealsOf is StaleDeals for these owners only, at most limit deals:
// reading one person's stale deals does not scan the workspace's.
func (s *Store) StaleDealsOf(ctx context.Context, teamID string, owners []string, now time.Time, limit int) ([]pipeline.Deal, error) {
	return s.selectDeals(ctx, "stale deals of owners", selectStaleDealsOf, teamID, now, pq.StringArray(owners), limit)
}

// OwnerTotal is one person's open pipeline.
type OwnerTotal struct {
	OwnerID string `db:"owner_id"`
	Open    int    `db:"open"`
	Amount  int64  `db:"amount_minor"` // in the workspace currency
}

// OpenByOwner returns the open deal count and amount (workspace currency) of
// each of the owners that has open deals.
func (s *Store) OpenByOwner(ctx context.Context, teamID string, owners []string) (map[string]OwnerTotal, error) {
	var rows []OwnerTotal
	if err := sqlx.SelectContext(ctx, s.db, &rows, selectOpenByOwner, teamID, pq.StringArray(owners)); err != nil {
		return nil, fmt.Errorf("store: open deals by owner in %s: %w", teamID, err)
	}
	out := make(map[string]OwnerTotal, len(rows))
	for _, r := range rows {
		out[r.OwnerID] = r
	}
	return out, nil
}
