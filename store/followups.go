package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const followUpColumns = `f.id, f.workspace_id, f.deal_id, d.number AS deal_number, f.owner_id, f.kind,
       f.due_at, f.note, f.done_at, f.snoozed_until`

const selectFollowUp = `
SELECT ` + followUpColumns + `
FROM follow_ups f JOIN deals d ON d.id = f.deal_id
WHERE f.workspace_id = $1 AND f.id = $2`

// Served by follow_ups_deal_idx (deal_id, due_at) over undone rows.
const selectNextFollowUp = `
SELECT ` + followUpColumns + `
FROM follow_ups f JOIN deals d ON d.id = f.deal_id
WHERE f.workspace_id = $1 AND f.deal_id = $2 AND f.done_at IS NULL
ORDER BY f.due_at, f.id
LIMIT 1`

// Inserting from the deal row keeps a deal of another workspace from getting
// a follow-up (no row, so ErrNotFound) and defaults the owner to the deal's.
const insertFollowUp = `
WITH f AS (
    INSERT INTO follow_ups (workspace_id, deal_id, owner_id, kind, due_at, note, created_by, created_at)
    SELECT d.workspace_id, d.id, COALESCE(NULLIF($3::text, ''), d.owner_id), $4, $5, $6, NULLIF($7::text, ''), $8::timestamptz
    FROM deals d
    WHERE d.workspace_id = $1 AND d.id = $2
    RETURNING *
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, new_value, created_at)
    SELECT workspace_id, deal_id, created_by, 'followup', kind, ` + followUpLabel + `, $8::timestamptz FROM f
)
SELECT ` + followUpColumns + ` FROM f JOIN deals d ON d.id = f.deal_id`

// "done_at IS NULL" makes completing idempotent: a second click, even one
// racing the first, waits for its row lock, then matches nothing.
const completeFollowUp = `
WITH f AS (
    UPDATE follow_ups SET done_at = $4
    WHERE workspace_id = $1 AND id = $2 AND done_at IS NULL
    RETURNING *
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, new_value, created_at)
    SELECT workspace_id, deal_id, NULLIF($3::text, ''), 'followup', 'done', ` + followUpLabel + `, $4 FROM f
)
SELECT ` + followUpColumns + ` FROM f JOIN deals d ON d.id = f.deal_id`

// Clearing reminded_at has the reminder job remind once more at the new
// remind_at (snoozed_until). The old row is read first for the history's
// old value; a done follow-up, or a repeat of the same snooze, matches nothing.
const snoozeFollowUp = `
WITH old AS (
    SELECT id, remind_at FROM follow_ups
    WHERE workspace_id = $1 AND id = $2 AND done_at IS NULL AND snoozed_until IS DISTINCT FROM $3::timestamptz
    FOR UPDATE
), f AS (
    UPDATE follow_ups u SET snoozed_until = $3::timestamptz, reminded_at = NULL
    FROM old WHERE u.id = old.id
    RETURNING u.*, old.remind_at AS old_remind_at
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, old_value, new_value, created_at)
    SELECT workspace_id, deal_id, NULLIF($4::text, ''), 'followup', 'snoozed_until',
           to_char(old_remind_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           to_char(snoozed_until AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), $5::timestamptz
    FROM f
)
SELECT ` + followUpColumns + ` FROM f JOIN deals d ON d.id = f.deal_id`

type followUpRow struct {
	ID           int64      `db:"id"`
	WorkspaceID  string     `db:"workspace_id"`
	DealID       int64      `db:"deal_id"`
	DealNumber   int64      `db:"deal_number"`
	OwnerID      string     `db:"owner_id"`
	Kind         string     `db:"kind"`
	DueAt        time.Time  `db:"due_at"`
	Note         string     `db:"note"`
	DoneAt       *time.Time `db:"done_at"`
	SnoozedUntil *time.Time `db:"snoozed_until"`
}

func (r followUpRow) followUp() pipeline.FollowUp {
	return pipeline.FollowUp{ID: r.ID, WorkspaceID: r.WorkspaceID, DealID: r.DealID, DealNumber: r.DealNumber,
		OwnerID: r.OwnerID, Kind: r.Kind, DueAt: r.DueAt, Note: r.Note, DoneAt: r.DoneAt, SnoozedUntil: r.SnoozedUntil}
}

// NextFollowUp returns the deal's earliest follow-up not done yet, or nil
// (and no error) when it has none or is not the workspace's deal.
func (s *Store) NextFollowUp(ctx context.Context, ex Executor, teamID string, dealID int64) (*pipeline.FollowUp, error) {
	var r followUpRow
	err := s.get(ctx, ex, &r, selectNextFollowUp, teamID, dealID)
	if errors.Is(notFound(err), ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: next follow-up of deal %d: %w", dealID, err)
	}
	f := r.followUp()
	return &f, nil
}

// AddFollowUp schedules f (DueAt, Note; OwnerID "" means the deal's owner;
// Kind "" means followup) on deal d through ex and appends a "followup" history
// entry at now whose new value is the due time in RFC 3339 (UTC) and the note.
// ErrNotFound when the workspace has no such deal.
func (s *Store) AddFollowUp(ctx context.Context, ex Executor, d pipeline.Deal, f pipeline.FollowUp, actorID string, now time.Time) (pipeline.FollowUp, error) {
	if f.Kind == "" {
		f.Kind = "followup"
	}
	if f.DueAt.IsZero() {
		return pipeline.FollowUp{}, fmt.Errorf("store: follow-up on %s: no due time", d.Ref())
	}
	if err := s.ensurePeople(ctx, ex, d.WorkspaceID, actorID, cmp.Or(f.OwnerID, d.OwnerID)); err != nil {
		return pipeline.FollowUp{}, fmt.Errorf("store: follow-up on %s: %w", d.Ref(), err)
	}
	var r followUpRow
	if err := s.get(ctx, ex, &r, insertFollowUp, d.WorkspaceID, d.ID, f.OwnerID, f.Kind, f.DueAt, f.Note, actorID, now); err != nil {
		return pipeline.FollowUp{}, fmt.Errorf("store: follow-up on %s: %w", d.Ref(), notFound(err))
	}
	return r.followUp(), nil
}

// CompleteFollowUp marks the workspace's follow-up id done at now and appends a
// "followup" history entry (field "done"). Completing it again, as a double
// click does, changes nothing and returns it as it is. ErrNotFound when the
// workspace has no such follow-up.
func (s *Store) CompleteFollowUp(ctx context.Context, ex Executor, teamID string, id int64, actorID string, now time.Time) (f pipeline.FollowUp, err error) {
	err = s.inTx(ctx, ex, func(tx *sqlx.Tx) error {
		f, err = s.changeFollowUp(ctx, tx, teamID, id, actorID, completeFollowUp, teamID, id, actorID, now)
		return err
	})
	if err != nil {
		return pipeline.FollowUp{}, fmt.Errorf("store: complete follow-up %d: %w", id, err)
	}
	return f, nil
}

// SnoozeFollowUp moves the reminder of the workspace's follow-up id to until
// (its due time stays) so that it is reminded once more then, and appends a
// "followup" history entry (field "snoozed_until", old and new reminder
// times). A done follow-up is returned unchanged. ErrNotFound when the
// workspace has no such follow-up.
func (s *Store) SnoozeFollowUp(ctx context.Context, ex Executor, teamID string, id int64, until time.Time, actorID string, now time.Time) (f pipeline.FollowUp, err error) {
	err = s.inTx(ctx, ex, func(tx *sqlx.Tx) error {
		f, err = s.changeFollowUp(ctx, tx, teamID, id, actorID, snoozeFollowUp, teamID, id, until, actorID, now)
		return err
	})
	if err != nil {
		return pipeline.FollowUp{}, fmt.Errorf("store: snooze follow-up %d: %w", id, err)
	}
	return f, nil
}

// changeFollowUp runs one of the follow-up changes in tx; when it matches
// nothing it returns the follow-up as stored.
func (s *Store) changeFollowUp(ctx context.Context, ex Executor, teamID string, id int64, actorID, query string, args ...any) (pipeline.FollowUp, error) {
	if err := s.ensurePeople(ctx, ex, teamID, actorID); err != nil {
		return pipeline.FollowUp{}, err
	}
	var r followUpRow
	err := s.get(ctx, ex, &r, query, args...)
	if errors.Is(notFound(err), ErrNotFound) {
		err = s.get(ctx, ex, &r, selectFollowUp, teamID, id)
	}
	if err != nil {
		return pipeline.FollowUp{}, notFound(err)
	}
	return r.followUp(), nil
}

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

// DueFollowUp is pipeline.DueFollowUp, as the queries read it.
type DueFollowUp = pipeline.DueFollowUp

type dueFollowUpRow struct {
	followUpRow
	DealTitle   string `db:"deal_title"`
	AccountName string `db:"account_name"`
}

// DueFollowUps returns up to limit of the workspace's follow-ups not done and
// not reminded yet whose reminder time (due or snoozed-until) is at or before now.
func (s *Store) DueFollowUps(ctx context.Context, ex Executor, teamID string, now time.Time, limit int) ([]DueFollowUp, error) {
	var rows []dueFollowUpRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectDueFollowUps, teamID, now, limit); err != nil {
		return nil, fmt.Errorf("store: due follow-ups of %s: %w", teamID, err)
	}
	out := make([]DueFollowUp, len(rows))
	for i, r := range rows {
		out[i] = DueFollowUp{FollowUp: r.followUp(), DealTitle: r.DealTitle, AccountName: r.AccountName}
	}
	return out, nil
}

// MarkReminded records through ex that the given follow-ups were reminded at and
// returns those it marked: not those another run marked first, nor those
// done meanwhile.
func (s *Store) MarkReminded(ctx context.Context, ex Executor, teamID string, ids []int64, at time.Time) (map[int64]bool, error) {
	var marked []int64
	if err := sqlx.SelectContext(ctx, ex, &marked, markReminded, teamID, pq.Int64Array(ids), at); err != nil {
		return nil, fmt.Errorf("store: mark follow-ups reminded in %s: %w", teamID, err)
	}
	out := make(map[int64]bool, len(marked))
	for _, id := range marked {
		out[id] = true
	}
	return out, nil
}

// FollowUp returns the workspace's follow-up id, or ErrNotFound.
func (s *Store) FollowUp(ctx context.Context, ex Executor, teamID string, id int64) (pipeline.FollowUp, error) {
	var r followUpRow
	if err := s.get(ctx, ex, &r, selectFollowUp, teamID, id); err != nil {
		return pipeline.FollowUp{}, fmt.Errorf("store: follow-up %d: %w", id, notFound(err))
	}
	return r.followUp(), nil
}

// followUpLabel describes a follow-up row in history: its due time in
// RFC 3339 (UTC), then its note, as AddFollowUp writes it.
const followUpLabel = `to_char(due_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') || CASE WHEN note <> '' THEN ' ' || note ELSE '' END`

// Follow-ups due before $3 and not done.
const overdueSQL = `
SELECT count(*)
FROM follow_ups d
WHERE d.workspace_id = $1 AND d.done_at IS NULL AND d.due_at < $3 AND ` + ownersFilter

// OverdueCount counts the follow-ups of ownerIDs due before now and not done.
func (s *Store) OverdueCount(ctx context.Context, ex Executor, teamID string, ownerIDs []string, now time.Time) (int, error) {
	var n int
	if err := sqlx.GetContext(ctx, ex, &n, overdueSQL, teamID, owners(ownerIDs), now); err != nil {
		return 0, fmt.Errorf("store: overdue follow-ups of %s: %w", teamID, err)
	}
	return n, nil
}

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

// FollowUpsDue returns up to limit undone follow-ups of the owners due at or
// before by, earliest first (overdue ones included).
func (s *Store) FollowUpsDue(ctx context.Context, ex Executor, teamID string, owners []string, by time.Time, limit int) ([]DueFollowUp, error) {
	var rows []dueFollowUpRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectFollowUpsDue, teamID, pq.StringArray(owners), by, limit); err != nil {
		return nil, fmt.Errorf("store: follow-ups due in %s: %w", teamID, err)
	}
	out := make([]DueFollowUp, len(rows))
	for i, r := range rows {
		out[i] = DueFollowUp{FollowUp: r.followUp(), DealTitle: r.DealTitle, AccountName: r.AccountName}
	}
	return out, nil
}
