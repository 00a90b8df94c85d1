package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

// Due reminders of one workspace, served by follow_ups_ws_due_idx: only
// undone, unreminded rows, so the cost grows with what is due, not with history.
const selectDueFollowUps = `
SELECT ` + followUpColumns + `, d.title AS deal_title, a.name AS account_name
FROM follow_ups f
JOIN deals d ON d.id = f.deal_id
JOIN accounts a ON a.id = d.account_id
WHERE f.workspace_id = $1 AND f.done_at IS NULL AND f.reminded_at IS NULL AND f.remind_at <= $2
ORDER BY f.owner_id, f.remind_at, f.id
LIMIT $3`

// Under READ COMMITTED a concurrent run's UPDATE waits for this one's row
// locks and then re-checks reminded_at, so each reminder is claimed once.
const markReminded = `
UPDATE follow_ups SET reminded_at = $3
WHERE workspace_id = $1 AND id = ANY($2::bigint[]) AND reminded_at IS NULL AND done_at IS NULL
RETURNING id`

// DueFollowUp is a follow-up whose reminder is due, with what the reminder shows.
type DueFollowUp struct {
	pipeline.FollowUp
	DealTitle   string
	AccountName string
}

type dueFollowUpRow struct {
	followUpRow
	DealTitle   string `db:"deal_title"`
	AccountName string `db:"account_name"`
}

// DueFollowUps returns up to limit of the workspace's follow-ups not done and
// not reminded yet whose reminder time (due or snoozed-until) is at or before now.
func (s *Store) DueFollowUps(ctx context.Context, teamID string, now time.Time, limit int) ([]DueFollowUp, error) {
	var rows []dueFollowUpRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, selectDueFollowUps, teamID, now, limit); err != nil {
		return nil, fmt.Errorf("store: due follow-ups of %s: %w", teamID, err)
	}
	out := make([]DueFollowUp, len(rows))
	for i, r := range rows {
		out[i] = DueFollowUp{FollowUp: r.followUp(), DealTitle: r.DealTitle, AccountName: r.AccountName}
	}
	return out, nil
}

// MarkReminded records in tx that the given follow-ups were reminded at and
// returns those it marked: not those another run marked first, nor those
// done meanwhile.
func (s *Store) MarkReminded(ctx context.Context, tx *sqlx.Tx, teamID string, ids []int64, at time.Time) (map[int64]bool, error) {
	var marked []int64
	if err := sqlx.SelectContext(ctx, tx, &marked, markReminded, teamID, pq.Int64Array(ids), at); err != nil {
		return nil, fmt.Errorf("store: mark follow-ups reminded in %s: %w", teamID, err)
	}
	out := make(map[int64]bool, len(marked))
	for _, id := range marked {
		out[id] = true
	}
	return out, nil
}

// FollowUp returns the workspace's follow-up id, or ErrNotFound.
func (s *Store) FollowUp(ctx context.Context, teamID string, id int64) (pipeline.FollowUp, error) {
	var r followUpRow
	if err := s.get(ctx, nil, &r, selectFollowUp, teamID, id); err != nil {
		return pipeline.FollowUp{}, fmt.Errorf("store: follow-up %d: %w", id, notFound(err))
	}
	return r.followUp(), nil
}

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

// StaleDeal is an open deal idle past its stage's threshold.
type StaleDeal struct {
	pipeline.Deal
	StaleDays      int
	ManagerID      string // the owner's manager, "" when none
	AlertedToday   bool
	EscalatedToday bool
}

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
func (s *Store) StaleForAlert(ctx context.Context, teamID string, now time.Time, day string) ([]StaleDeal, error) {
	var rows []staleRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, selectStaleForAlert, teamID, now, day); err != nil {
		return nil, fmt.Errorf("store: stale deals of %s: %w", teamID, err)
	}
	out := make([]StaleDeal, len(rows))
	for i, r := range rows {
		out[i] = StaleDeal{Deal: r.deal(), StaleDays: r.StaleDays, ManagerID: r.ManagerID,
			AlertedToday: r.AlertedToday, EscalatedToday: r.EscalatedToday}
	}
	return out, nil
}

// MarkStaleAlerted records in tx that the deals were alerted on day.
func (s *Store) MarkStaleAlerted(ctx context.Context, tx *sqlx.Tx, teamID string, ids []int64, day string) error {
	if _, err := tx.ExecContext(ctx, markStaleAlerted, teamID, pq.Int64Array(ids), day); err != nil {
		return fmt.Errorf("store: mark stale alerted in %s: %w", teamID, err)
	}
	return nil
}

// MarkEscalated records in tx that the deals were shown to managers on day.
func (s *Store) MarkEscalated(ctx context.Context, tx *sqlx.Tx, teamID string, ids []int64, day string) error {
	if _, err := tx.ExecContext(ctx, markEscalated, teamID, pq.Int64Array(ids), day); err != nil {
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
func (s *Store) ClosePassed(ctx context.Context, teamID, day string) ([]pipeline.Deal, error) {
	var rows []dealRow
	if err := sqlx.SelectContext(ctx, s.db, &rows, selectClosePassed, teamID, day); err != nil {
		return nil, fmt.Errorf("store: close date passed in %s: %w", teamID, err)
	}
	out := make([]pipeline.Deal, len(rows))
	for i, r := range rows {
		out[i] = r.deal()
	}
	return out, nil
}

// MarkCloseAlerted records in tx that the deals' owners were reminded on day.
func (s *Store) MarkCloseAlerted(ctx context.Context, tx *sqlx.Tx, teamID string, ids []int64, day string) error {
	if _, err := tx.ExecContext(ctx, markCloseAlerted, teamID, pq.Int64Array(ids), day); err != nil {
		return fmt.Errorf("store: mark close alerted in %s: %w", teamID, err)
	}
	return nil
}

// Snoozing twice to the same time changes nothing and writes no history.
const snoozeDeal = `
WITH d AS (
    UPDATE deals SET snoozed_until = $3, updated_at = now()
    WHERE workspace_id = $1 AND number = $2 AND snoozed_until IS DISTINCT FROM $3
    RETURNING id, workspace_id
)
INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, new_value)
SELECT workspace_id, id, NULLIF($4::text, ''), 'snooze', 'snoozed_until',
       to_char($3::timestamptz AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')
FROM d`

// SnoozeDeal quiets stale alerts about the workspace's deal D-number until
// until, with a history entry. The caller has checked the actor may.
func (s *Store) SnoozeDeal(ctx context.Context, teamID string, number int64, until time.Time, actorID string) error {
	return snoozeDealIn(ctx, s.db, teamID, number, until, actorID)
}

// SnoozeDealTx is SnoozeDeal inside the caller's transaction.
func (s *Store) SnoozeDealTx(ctx context.Context, tx *sqlx.Tx, teamID string, number int64, until time.Time, actorID string) error {
	return snoozeDealIn(ctx, tx, teamID, number, until, actorID)
}

func snoozeDealIn(ctx context.Context, ex Executor, teamID string, number int64, until time.Time, actorID string) error {
	if _, err := ex.ExecContext(ctx, snoozeDeal, teamID, number, until, actorID); err != nil {
		return fmt.Errorf("store: snooze %s: %w", pipeline.FormatRef(number), err)
	}
	return nil
}
