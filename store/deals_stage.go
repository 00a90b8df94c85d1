package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"time"

	"salesbot/pipeline"

	"github.com/jmoiron/sqlx"
)

// The old row is read (and locked) first so that RETURNING can report what
// the stage change replaced. "stage = $3" refuses a change planned from a
// stage the deal has left meanwhile. A deal is closed exactly when it is won
// or lost (the table's CHECK), so closed_at and lost_reason follow the new
// stage; won_amount_minor is the final amount, or the deal's value when none
// was given.
const updateDealStage = `
WITH old AS (
    SELECT id, amount_minor, currency, lost_reason FROM deals
    WHERE workspace_id = $1 AND id = $2 AND stage = $3
    FOR UPDATE
)
UPDATE deals d SET
    stage = $4::text,
    closed_at = CASE WHEN $4::text IN ('won', 'lost') THEN $8::timestamptz END,
    lost_reason = CASE WHEN $4::text = 'lost' THEN $5::text ELSE '' END,
    amount_minor = COALESCE($6::bigint, d.amount_minor),
    currency = COALESCE(NULLIF($7::text, ''), d.currency),
    won_amount_minor = CASE WHEN $4::text = 'won' THEN COALESCE($6::bigint, d.amount_minor) END,
    updated_at = $8::timestamptz,
    last_activity_at = $8::timestamptz
FROM old
WHERE d.id = old.id
RETURNING d.account_id, d.closed_at, old.amount_minor, old.currency, old.lost_reason`

// An account that wins a deal is a customer from its first win on; a churned
// account that wins again is a customer again.
const markCustomer = `
UPDATE accounts SET is_customer = true, customer_since = COALESCE(customer_since, $3::timestamptz),
    churned_at = NULL, updated_at = $3::timestamptz
WHERE workspace_id = $1 AND id = $2`

// Post-sale check-ins for the owner, one per workspace_settings.checkin_days,
// at 09:00 in the owner's timezone (the workspace's when theirs is unknown, or
// a name Postgres does not know) on the day that many days after the close
// there (Postgres applies that day's UTC offset, so it is 09:00 across a DST
// change too): a rep in Los Angeles is not due one at 06:00.
// A deal won again after a reopen keeps the check-ins it still has instead of
// getting a second set. They are the bot's doing, so their history has no actor.
const insertCheckins = `
WITH f AS (
    INSERT INTO follow_ups (workspace_id, deal_id, owner_id, kind, due_at, note)
    SELECT d.workspace_id, d.id, d.owner_id, 'checkin',
           (((d.closed_at AT TIME ZONE tz.name)::date + n.days) + time '09:00') AT TIME ZONE tz.name,
           format('Post-sale check-in, %s days after the win', n.days)
    FROM deals d
    JOIN workspace_settings ws ON ws.workspace_id = d.workspace_id
    LEFT JOIN users u ON u.workspace_id = d.workspace_id AND u.id = d.owner_id
    CROSS JOIN LATERAL (SELECT COALESCE((SELECT z.name FROM pg_timezone_names z WHERE z.name = u.timezone), ws.timezone) AS name) tz
    CROSS JOIN LATERAL unnest(ws.checkin_days) AS n(days)
    WHERE d.workspace_id = $1 AND d.id = $2
      AND NOT EXISTS (SELECT 1 FROM follow_ups c WHERE c.deal_id = d.id AND c.kind = 'checkin' AND c.done_at IS NULL)
    RETURNING workspace_id, deal_id, kind, due_at, note
)
INSERT INTO deal_history (workspace_id, deal_id, action, field, new_value, created_at)
SELECT workspace_id, deal_id, 'followup', kind, ` + followUpLabel + `, $3::timestamptz FROM f`

type stageUpdate struct {
	AccountID   int64      `db:"account_id"`
	ClosedAt    *time.Time `db:"closed_at"`
	OldAmount   int64      `db:"amount_minor"`
	OldCurrency string     `db:"currency"`
	OldReason   string     `db:"lost_reason"`
}

// ApplyStageChange moves deal d to c.To in one transaction (ex when it is
// one), as planned by
// pipeline.PlanMove, at now, and returns the deal as stored. Closing sets closed_at
// (reopening clears it), lost stores c.Reason (reopening clears it), a won
// amount sets the deal's value, and the move counts as activity. History
// gets a "stage" entry (field "stage", old and new stage keys), a
// "reopened" entry for a reopen, a "lost_reason" and an "amount" field entry
// when those change. A win makes the account a customer and schedules the
// owner's post-sale check-ins (see insertCheckins). ErrConflict when the
// deal is no longer in c.From: lock it with DealForUpdate first.
func (s *Store) ApplyStageChange(ctx context.Context, ex Executor, d pipeline.Deal, c pipeline.StageChange, actorID string, now time.Time) (pipeline.Deal, error) {
	var out pipeline.Deal
	err := s.inTx(ctx, ex, func(tx *sqlx.Tx) (err error) {
		out, err = s.applyStageChange(ctx, tx, d, c, actorID, now)
		return err
	})
	if err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: move %s to %s: %w", d.Ref(), c.To, err)
	}
	return out, nil
}

func (s *Store) applyStageChange(ctx context.Context, ex Executor, d pipeline.Deal, c pipeline.StageChange, actorID string, now time.Time) (pipeline.Deal, error) {
	ws := d.WorkspaceID
	if err := s.ensurePeople(ctx, ex, ws, actorID); err != nil {
		return pipeline.Deal{}, err
	}
	var amount *int64
	var currency string
	if c.Amount != nil {
		amount, currency = &c.Amount.Minor, c.Amount.Currency
	}
	var u stageUpdate
	err := s.get(ctx, ex, &u, updateDealStage, ws, d.ID, string(c.From), string(c.To), c.Reason, amount, currency, now)
	if err != nil {
		if err = notFound(err); errors.Is(err, ErrNotFound) {
			err = s.missing(ctx, ex, ws, d.ID)
		}
		return pipeline.Deal{}, err
	}
	entries := []entry{{actionStage, "stage", string(c.From), string(c.To)}}
	if c.Reopen {
		entries = append(entries, entry{actionReopened, "stage", string(c.From), string(c.To)})
	}
	if c.To == pipeline.StageLost {
		entries = append(entries, entry{actionStage, "lost_reason", u.OldReason, c.Reason})
	}
	if c.Amount != nil {
		old := pipeline.Money{Minor: u.OldAmount, Currency: u.OldCurrency}
		if nw := (pipeline.Money{Minor: c.Amount.Minor, Currency: cmp.Or(currency, u.OldCurrency)}); nw != old {
			entries = append(entries, entry{actionStage, "amount", old.String(), nw.String()})
		}
	}
	if err := s.appendHistory(ctx, ex, ws, d.ID, actorID, now, entries...); err != nil {
		return pipeline.Deal{}, err
	}
	if c.To == pipeline.StageWon {
		if err := s.exec(ctx, ex, markCustomer, ws, u.AccountID, u.ClosedAt); err != nil {
			return pipeline.Deal{}, fmt.Errorf("mark customer: %w", err)
		}
		if err := s.exec(ctx, ex, insertCheckins, ws, d.ID, now); err != nil {
			return pipeline.Deal{}, fmt.Errorf("schedule check-ins: %w", err)
		}
	}
	return s.dealByID(ctx, ex, ws, d.ID)
}
