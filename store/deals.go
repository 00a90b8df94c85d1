package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// selectDeals reads deals with their account and contact. Joining on the
// primary keys alone is safe: composite foreign keys keep a deal's account
// and contact in the deal's workspace.
const selectDeals = `
SELECT d.id, d.workspace_id, d.number, d.title, d.account_id, a.name AS account_name,
       COALESCE(d.contact_id, 0) AS contact_id, COALESCE(c.name, '') AS contact_name,
       COALESCE(c.email, '') AS contact_email, d.stage, d.amount_minor, d.currency, d.recurring,
       d.expected_close, d.source, d.score,
       COALESCE(d.qualification->'reasons', '[]'::jsonb) AS score_reasons, d.owner_id, d.created_by, d.created_at, d.updated_at,
       d.last_activity_at, d.closed_at, d.lost_reason, d.inbound, d.discount_bps
FROM deals d
JOIN accounts a ON a.id = d.account_id
LEFT JOIN contacts c ON c.id = d.contact_id`

const selectDealByNumber = selectDeals + `
WHERE d.workspace_id = $1 AND d.number = $2`

const selectDealByKey = selectDeals + `
WHERE d.workspace_id = $1 AND d.idempotency_key = $2`

type dealRow struct {
	ID             int64      `db:"id"`
	WorkspaceID    string     `db:"workspace_id"`
	Number         int64      `db:"number"`
	Title          string     `db:"title"`
	AccountID      int64      `db:"account_id"`
	AccountName    string     `db:"account_name"`
	ContactID      int64      `db:"contact_id"`
	ContactName    string     `db:"contact_name"`
	ContactEmail   string     `db:"contact_email"`
	Stage          string     `db:"stage"`
	AmountMinor    int64      `db:"amount_minor"`
	Currency       string     `db:"currency"`
	Recurring      bool       `db:"recurring"`
	ExpectedClose  *time.Time `db:"expected_close"`
	Source         string     `db:"source"`
	Score          int        `db:"score"`
	ScoreReasons   []byte     `db:"score_reasons"`
	OwnerID        string     `db:"owner_id"`
	CreatedBy      string     `db:"created_by"`
	CreatedAt      time.Time  `db:"created_at"`
	UpdatedAt      time.Time  `db:"updated_at"`
	LastActivityAt time.Time  `db:"last_activity_at"`
	ClosedAt       *time.Time `db:"closed_at"`
	LostReason     string     `db:"lost_reason"`
	Inbound        []byte     `db:"inbound"`
	DiscountBps    int        `db:"discount_bps"`
}

func (r dealRow) deal() pipeline.Deal {
	return pipeline.Deal{
		ID: r.ID, WorkspaceID: r.WorkspaceID, Number: r.Number, Title: r.Title,
		AccountID: r.AccountID, AccountName: r.AccountName,
		ContactID: r.ContactID, ContactName: r.ContactName, ContactEmail: r.ContactEmail,
		Stage:         pipeline.Stage(r.Stage),
		Value:         pipeline.Money{Minor: r.AmountMinor, Currency: r.Currency},
		Recurring:     r.Recurring,
		ExpectedClose: dateOnly(r.ExpectedClose),
		Source:        r.Source, Score: r.Score, ScoreReasons: reasons(r.ScoreReasons), OwnerID: r.OwnerID, CreatedBy: r.CreatedBy,
		CreatedAt: r.CreatedAt, UpdatedAt: r.UpdatedAt, LastActivityAt: r.LastActivityAt,
		ClosedAt: r.ClosedAt, LostReason: r.LostReason, Inbound: inbound(r.Inbound), DiscountBps: r.DiscountBps,
	}
}

// dateOnly normalises a Postgres date to UTC midnight, as pipeline.Deal wants.
func dateOnly(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	d := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	return &d
}

// dateParam passes a calendar date as text, so the session timezone cannot
// shift it to the day before.
func dateParam(t *time.Time) sql.NullString {
	if t == nil {
		return sql.NullString{}
	}
	return sql.NullString{String: t.Format(time.DateOnly), Valid: true}
}

// DealByNumber returns the workspace's deal D-number with its account and
// contact, or ErrNotFound (also when the number belongs to another workspace).
func (s *Store) DealByNumber(ctx context.Context, ex Executor, teamID string, number int64) (pipeline.Deal, error) {
	return dealByNumber(ctx, ex, teamID, number)
}

func dealByNumber(ctx context.Context, ex Executor, teamID string, number int64) (pipeline.Deal, error) {
	var row dealRow
	if err := sqlx.GetContext(ctx, ex, &row, selectDealByNumber, teamID, number); err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: deal %s: %w", pipeline.FormatRef(number), notFound(err))
	}
	return row.deal(), nil
}

func (s *Store) dealByKey(ctx context.Context, ex Executor, teamID, key string) (pipeline.Deal, error) {
	var row dealRow
	if err := s.get(ctx, ex, &row, selectDealByKey, teamID, key); err != nil {
		return pipeline.Deal{}, fmt.Errorf("deal by idempotency key: %w", notFound(err))
	}
	return row.deal(), nil
}

// ErrConflict is returned when a deal is no longer in the state the change
// was planned from (another change committed first); read it again and retry.
var ErrConflict = pipeline.ErrConflict

const selectDealForUpdate = selectDealByNumber + `
FOR UPDATE OF d`

const selectDealByID = selectDeals + `
WHERE d.workspace_id = $1 AND d.id = $2`

const selectDealExists = `SELECT EXISTS (SELECT 1 FROM deals WHERE workspace_id = $1 AND id = $2)`

// DealForUpdate reads the workspace's deal D-number and locks its row until
// ex ends, so that a change planned from what it returns cannot race another;
// ErrNotFound also when the number belongs to another workspace.
func (s *Store) DealForUpdate(ctx context.Context, ex Executor, teamID string, number int64) (pipeline.Deal, error) {
	var row dealRow
	if err := s.get(ctx, ex, &row, selectDealForUpdate, teamID, number); err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: lock deal %s: %w", pipeline.FormatRef(number), notFound(err))
	}
	return row.deal(), nil
}

// DealByID returns the workspace's deal with this row ID (as buttons carry
// it), or ErrNotFound.
func (s *Store) DealByID(ctx context.Context, ex Executor, teamID string, id int64) (pipeline.Deal, error) {
	d, err := s.dealByID(ctx, ex, teamID, id)
	if err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: %w", err)
	}
	return d, nil
}

func (s *Store) dealByID(ctx context.Context, ex Executor, teamID string, id int64) (pipeline.Deal, error) {
	var row dealRow
	if err := s.get(ctx, ex, &row, selectDealByID, teamID, id); err != nil {
		return pipeline.Deal{}, fmt.Errorf("deal %d: %w", id, notFound(err))
	}
	return row.deal(), nil
}

// missing explains why a write matched no deal row: ErrNotFound when the
// workspace has no such deal, else ErrConflict.
func (s *Store) missing(ctx context.Context, ex Executor, teamID string, dealID int64) error {
	var exists bool
	if err := s.get(ctx, ex, &exists, selectDealExists, teamID, dealID); err != nil {
		return err
	}
	if !exists {
		return ErrNotFound
	}
	return ErrConflict
}
