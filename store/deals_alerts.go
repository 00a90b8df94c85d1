package store

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

// Stale open deals with their threshold, the owner's manager and whether
// they were already alerted or escalated on the local day $3. The predicate
// repeats the open-deals partial indexes' so the scan reads open deals only.
const selectStaleForAlert = `
SELECT x.*, s.stale_days, COALESCE(u.manager_id, '') AS manager_id,
       COALESCE(dd.stale_alerted_on = $3::date, false) AS alerted_today,
       COALESCE(dd.escalated_on = $3::date, false) AS escalated_today
FROM (` + selectDeals + `
    WHERE d.workspace_id = $1 AND d.stage NOT IN ('won', 'lost')
) x
JOIN deals dd ON dd.id = x.id
JOIN stages s ON s.workspace_id = x.workspace_id AND s.key = x.stage
LEFT JOIN users u ON u.workspace_id = x.workspace_id AND u.id = x.owner_id
WHERE s.stale_days > 0
  AND x.last_activity_at < $2::timestamptz - make_interval(days => s.stale_days)
  AND (dd.snoozed_until IS NULL OR dd.snoozed_until <= $2)
ORDER BY x.owner_id, x.last_activity_at, x.id`

const markStaleAlerted = `
UPDATE deals SET stale_alerted_on = $3::date WHERE workspace_id = $1 AND id = ANY($2::bigint[])`

const markEscalated = `
UPDATE deals SET escalated_on = $3::date WHERE workspace_id = $1 AND id = ANY($2::bigint[])`

// StaleDeal is pipeline.StaleDeal, as the queries read it.
type StaleDeal = pipeline.StaleDeal

type staleRow struct {
	dealRow
	StaleDays      int    `db:"stale_days"`
	ManagerID      string `db:"manager_id"`
	AlertedToday   bool   `db:"alerted_today"`
	EscalatedToday bool   `db:"escalated_today"`
}

// StaleForAlert returns the workspace's stale, unsnoozed open deals at now,
// by owner, longest idle first; day is the workspace-local date ("2006-01-02")
// that the alerted/escalated flags are about.
func (s *Store) StaleForAlert(ctx context.Context, ex Executor, teamID string, now time.Time, day string) ([]StaleDeal, error) {
	var rows []staleRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectStaleForAlert, teamID, now, day); err != nil {
		return nil, fmt.Errorf("store: stale deals of %s: %w", teamID, err)
	}
	out := make([]StaleDeal, len(rows))
	for i, r := range rows {
		out[i] = StaleDeal{Deal: r.deal(), StaleDays: r.StaleDays, ManagerID: r.ManagerID,
			AlertedToday: r.AlertedToday, EscalatedToday: r.EscalatedToday}
	}
	return out, nil
}

// MarkStaleAlerted records through ex that the deals were alerted on day.
func (s *Store) MarkStaleAlerted(ctx context.Context, ex Executor, teamID string, ids []int64, day string) error {
	if _, err := ex.ExecContext(ctx, markStaleAlerted, teamID, pq.Int64Array(ids), day); err != nil {
		return fmt.Errorf("store: mark stale alerted in %s: %w", teamID, err)
	}
	return nil
}

// MarkEscalated records through ex that the deals were shown to managers on day.
func (s *Store) MarkEscalated(ctx context.Context, ex Executor, teamID string, ids []int64, day string) error {
	if _, err := ex.ExecContext(ctx, markEscalated, teamID, pq.Int64Array(ids), day); err != nil {
		return fmt.Errorf("store: mark escalated in %s: %w", teamID, err)
	}
	return nil
}

// Open deals whose expected close date is before the local day $2 and that
// were not reminded about that day; served by deals_open_close_idx.
const selectClosePassed = selectDeals + `
JOIN deals dd ON dd.id = d.id
WHERE d.workspace_id = $1 AND d.stage NOT IN ('won', 'lost') AND d.expected_close IS NOT NULL
  AND d.expected_close < $2::date
  AND dd.close_alerted_on IS DISTINCT FROM $2::date
ORDER BY d.owner_id, d.expected_close, d.id`

const markCloseAlerted = `
UPDATE deals SET close_alerted_on = $3::date WHERE workspace_id = $1 AND id = ANY($2::bigint[])`

// ClosePassed returns the workspace's open deals whose expected close date
// is before day and that were not reminded about on day.
func (s *Store) ClosePassed(ctx context.Context, ex Executor, teamID, day string) ([]pipeline.Deal, error) {
	var rows []dealRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectClosePassed, teamID, day); err != nil {
		return nil, fmt.Errorf("store: close date passed in %s: %w", teamID, err)
	}
	out := make([]pipeline.Deal, len(rows))
	for i, r := range rows {
		out[i] = r.deal()
	}
	return out, nil
}

// MarkCloseAlerted records through ex that the deals' owners were reminded on day.
func (s *Store) MarkCloseAlerted(ctx context.Context, ex Executor, teamID string, ids []int64, day string) error {
	if _, err := ex.ExecContext(ctx, markCloseAlerted, teamID, pq.Int64Array(ids), day); err != nil {
		return fmt.Errorf("store: mark close alerted in %s: %w", teamID, err)
	}
	return nil
}

// Snoozing twice to the same time changes nothing and writes no history.
const snoozeDeal = `
WITH d AS (
    UPDATE deals SET snoozed_until = $3, updated_at = $5
    WHERE workspace_id = $1 AND number = $2 AND snoozed_until IS DISTINCT FROM $3
    RETURNING id, workspace_id
)
INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, new_value, created_at)
SELECT workspace_id, id, NULLIF($4::text, ''), 'snooze', 'snoozed_until',
       to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), $5::timestamptz
FROM d`

// SnoozeDeal quiets stale alerts about the workspace's deal D-number until
// until, with a history entry at now. The caller has checked the actor may.
func (s *Store) SnoozeDeal(ctx context.Context, ex Executor, teamID string, number int64, until time.Time, actorID string, now time.Time) error {
	return snoozeDealIn(ctx, ex, teamID, number, until, actorID, now)
}

func snoozeDealIn(ctx context.Context, ex Executor, teamID string, number int64, until time.Time, actorID string, now time.Time) error {
	if _, err := ex.ExecContext(ctx, snoozeDeal, teamID, number, until, actorID, now); err != nil {
		return fmt.Errorf("store: snooze %s: %w", pipeline.FormatRef(number), err)
	}
	return nil
}

// Open deals idle for longer than their stage allows, not snoozed. The
// repeated "stage NOT IN ('won', 'lost')" on deals matches the predicate of
// the open-deals partial indexes, so the scan reads open deals only, stage by
// stage. Rows are sorted in Go: tens of thousands of wide rows would make
// Postgres sort on disk.
const selectStaleDeals = selectDeals + `
JOIN stages s ON s.workspace_id = d.workspace_id AND s.key = d.stage
WHERE d.workspace_id = $1
  AND d.stage NOT IN ('won', 'lost')
  AND s.stale_days > 0
  AND d.last_activity_at < $2::timestamptz - make_interval(days => s.stale_days)
  AND (d.snoozed_until IS NULL OR d.snoozed_until <= $2)`

// The stale scan's first $3 deals, in StaleDeals' order.
const selectStaleDealsPage = selectStaleDeals + `
ORDER BY d.owner_id, d.last_activity_at, d.id
LIMIT $3`

// StaleDealsIn is StaleDeals in a scope, at most limit deals in the same
// order: the owners' deals (through deals_open_owner_idx), or the whole
// workspace's when owners is nil. StaleCount counts them all.
func (s *Store) StaleDealsIn(ctx context.Context, ex Executor, teamID string, owners []string, now time.Time, limit int) ([]pipeline.Deal, error) {
	if owners == nil {
		return s.selectDeals(ctx, ex, "stale deals", selectStaleDealsPage, teamID, now, limit)
	}
	return s.StaleDealsOf(ctx, ex, teamID, owners, now, limit)
}

// StaleDeals returns the workspace's open deals with no activity for longer
// than their stage's threshold at now, leaving out snoozed deals, ordered by
// owner and then longest idle first.
func (s *Store) StaleDeals(ctx context.Context, ex Executor, teamID string, now time.Time) ([]pipeline.Deal, error) {
	var rows []dealRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectStaleDeals, teamID, now); err != nil {
		return nil, fmt.Errorf("store: stale deals of %s: %w", teamID, err)
	}
	out := make([]pipeline.Deal, len(rows))
	for i, r := range rows {
		out[i] = r.deal()
	}
	slices.SortFunc(out, func(a, b pipeline.Deal) int {
		return cmp.Or(strings.Compare(a.OwnerID, b.OwnerID),
			a.LastActivityAt.Compare(b.LastActivityAt), cmp.Compare(a.ID, b.ID))
	})
	return out, nil
}

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

// StaleCount counts the open deals of ownerIDs that StaleDeals would return at now.
func (s *Store) StaleCount(ctx context.Context, ex Executor, teamID string, ownerIDs []string, now time.Time) (int, error) {
	var n int
	if err := sqlx.GetContext(ctx, ex, &n, staleCountSQL, teamID, owners(ownerIDs), now); err != nil {
		return 0, fmt.Errorf("store: stale count of %s: %w", teamID, err)
	}
	return n, nil
}

// Stale deals of these owners only, from deals_open_owner_idx.
const selectStaleDealsOf = selectStaleDeals + `
  AND d.owner_id = ANY($3::text[])
ORDER BY d.owner_id, d.last_activity_at, d.id
LIMIT $4`

// StaleDealsOf is StaleDeals for these owners only, at most limit deals:
// reading one person's stale deals does not scan the workspace's.
func (s *Store) StaleDealsOf(ctx context.Context, ex Executor, teamID string, owners []string, now time.Time, limit int) ([]pipeline.Deal, error) {
	return s.selectDeals(ctx, ex, "stale deals of owners", selectStaleDealsOf, teamID, now, pq.StringArray(owners), limit)
}
