package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const selectApprovalRules = `
SELECT approval_discount_bps, stage_required_fields FROM workspace_settings WHERE workspace_id = $1`

// ApprovalRules reads the workspace's discount threshold and per-stage
// required fields; a workspace not seen yet has none.
func (s *Store) ApprovalRules(ctx context.Context, ex Executor, teamID string) (pipeline.ApprovalRules, error) {
	var row struct {
		Over     sql.NullInt64 `db:"approval_discount_bps"`
		Required []byte        `db:"stage_required_fields"`
	}
	err := sqlx.GetContext(ctx, ex, &row, selectApprovalRules, teamID)
	if errors.Is(err, sql.ErrNoRows) {
		return pipeline.ApprovalRules{}, nil
	}
	if err != nil {
		return pipeline.ApprovalRules{}, fmt.Errorf("store: approval rules of %s: %w", teamID, err)
	}
	r := pipeline.ApprovalRules{On: row.Over.Valid, DiscountOverBps: int(row.Over.Int64)}
	if err := json.Unmarshal(row.Required, &r.Required); err != nil {
		return pipeline.ApprovalRules{}, fmt.Errorf("store: required fields of %s: %w", teamID, err)
	}
	return r, nil
}

const updateApprovalRules = `
UPDATE workspace_settings SET approval_discount_bps = $2, stage_required_fields = $3, updated_at = $4
WHERE workspace_id = $1`

// SaveApprovalRules stores r as the workspace's rules at now; the caller
// validated them. ErrNotFound when the workspace is unknown.
func (s *Store) SaveApprovalRules(ctx context.Context, ex Executor, teamID string, r pipeline.ApprovalRules, now time.Time) error {
	over := sql.NullInt64{Int64: int64(r.DiscountOverBps), Valid: r.On}
	req := r.Required
	if req == nil {
		req = map[pipeline.Stage][]pipeline.DealField{}
	}
	b, err := json.Marshal(req)
	if err != nil {
		return err
	}
	res, err := ex.ExecContext(ctx, updateApprovalRules, teamID, over, b, now)
	if err != nil {
		return fmt.Errorf("store: save approval rules of %s: %w", teamID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: save approval rules of %s: %w", teamID, ErrNotFound)
	}
	return nil
}

const approvalColumns = `
a.id, a.workspace_id, a.deal_id, d.number, a.requested_by, a.approvers, a.discount_bps, a.amount_minor,
a.currency, a.reason, a.state, a.requested_at, COALESCE(a.decided_by, '') AS decided_by, a.decided_at,
a.decision_reason, a.invalidated_at, a.reminded_at`

const selectApprovals = `SELECT` + approvalColumns + `
FROM approvals a JOIN deals d ON d.workspace_id = a.workspace_id AND d.id = a.deal_id`

type approvalRow struct {
	ID             int64          `db:"id"`
	WorkspaceID    string         `db:"workspace_id"`
	DealID         int64          `db:"deal_id"`
	Number         int64          `db:"number"`
	RequestedBy    string         `db:"requested_by"`
	Approvers      pq.StringArray `db:"approvers"`
	DiscountBps    int            `db:"discount_bps"`
	AmountMinor    int64          `db:"amount_minor"`
	Currency       string         `db:"currency"`
	Reason         string         `db:"reason"`
	State          string         `db:"state"`
	RequestedAt    time.Time      `db:"requested_at"`
	DecidedBy      string         `db:"decided_by"`
	DecidedAt      *time.Time     `db:"decided_at"`
	DecisionReason string         `db:"decision_reason"`
	InvalidatedAt  *time.Time     `db:"invalidated_at"`
	RemindedAt     *time.Time     `db:"reminded_at"`
}

func (r approvalRow) approval() pipeline.Approval {
	return pipeline.Approval{ID: r.ID, WorkspaceID: r.WorkspaceID, DealID: r.DealID, DealNumber: r.Number,
		RequestedBy: r.RequestedBy, Approvers: []string(r.Approvers), DiscountBps: r.DiscountBps,
		Amount: pipeline.Money{Minor: r.AmountMinor, Currency: r.Currency}, Reason: r.Reason,
		State: pipeline.ApprovalState(r.State), RequestedAt: r.RequestedAt, DecidedBy: r.DecidedBy,
		DecidedAt: r.DecidedAt, DecisionReason: r.DecisionReason, InvalidatedAt: r.InvalidatedAt, RemindedAt: r.RemindedAt}
}

func approvals(rows []approvalRow) []pipeline.Approval {
	out := make([]pipeline.Approval, len(rows))
	for i, r := range rows {
		out[i] = r.approval()
	}
	return out
}

const insertApproval = `
WITH a AS (
    INSERT INTO approvals (workspace_id, deal_id, requested_by, approvers, discount_bps, amount_minor, currency, reason, requested_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    RETURNING *
)
SELECT` + approvalColumns + ` FROM a JOIN deals d ON d.workspace_id = a.workspace_id AND d.id = a.deal_id`

// InsertApproval records a pending request a for deal a.DealID, asked at
// now. The deal may have only one live request: the caller invalidates the
// one it has first (a second live one breaks approvals_live_idx).
func (s *Store) InsertApproval(ctx context.Context, ex Executor, a pipeline.Approval, now time.Time) (pipeline.Approval, error) {
	if err := s.ensurePeople(ctx, ex, a.WorkspaceID, a.RequestedBy); err != nil {
		return pipeline.Approval{}, err
	}
	var row approvalRow
	if err := sqlx.GetContext(ctx, ex, &row, insertApproval, a.WorkspaceID, a.DealID, a.RequestedBy,
		pq.StringArray(a.Approvers), a.DiscountBps, a.Amount.Minor, a.Amount.Currency, a.Reason, now); err != nil {
		return pipeline.Approval{}, fmt.Errorf("store: request approval of deal %d: %w", a.DealID, err)
	}
	return row.approval(), nil
}

// ApprovalByID reads the workspace's approval id; ErrNotFound also when it
// belongs to another workspace.
func (s *Store) ApprovalByID(ctx context.Context, ex Executor, teamID string, id int64) (pipeline.Approval, error) {
	var row approvalRow
	if err := sqlx.GetContext(ctx, ex, &row, selectApprovals+` WHERE a.workspace_id = $1 AND a.id = $2`, teamID, id); err != nil {
		return pipeline.Approval{}, fmt.Errorf("store: approval %d: %w", id, notFound(err))
	}
	return row.approval(), nil
}

// LatestApproval reads the deal's newest approval request, live or not;
// ErrNotFound when it never had one.
func (s *Store) LatestApproval(ctx context.Context, ex Executor, teamID string, dealID int64) (pipeline.Approval, error) {
	var row approvalRow
	if err := sqlx.GetContext(ctx, ex, &row, selectApprovals+`
WHERE a.workspace_id = $1 AND a.deal_id = $2 ORDER BY a.requested_at DESC, a.id DESC LIMIT 1`, teamID, dealID); err != nil {
		return pipeline.Approval{}, fmt.Errorf("store: approval of deal %d: %w", dealID, notFound(err))
	}
	return row.approval(), nil
}

// LiveApproval reads the deal's pending or approved request, nil when none.
func (s *Store) LiveApproval(ctx context.Context, ex Executor, teamID string, dealID int64) (*pipeline.Approval, error) {
	var row approvalRow
	err := sqlx.GetContext(ctx, ex, &row, selectApprovals+`
WHERE a.workspace_id = $1 AND a.deal_id = $2 AND a.state IN ('pending', 'approved')`, teamID, dealID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("store: live approval of deal %d: %w", dealID, err)
	}
	a := row.approval()
	return &a, nil
}

// The decision is conditional on the request still pending: of two
// decisions at once, the second waits for the first's row lock, finds the
// state changed and updates nothing.
const decideApproval = `
WITH a AS (
    UPDATE approvals SET state = $3, decided_by = $4, decided_at = $6, decision_reason = $5
    WHERE workspace_id = $1 AND id = $2 AND state = 'pending' AND $4 = ANY (approvers)
    RETURNING *
)
SELECT` + approvalColumns + ` FROM a JOIN deals d ON d.workspace_id = a.workspace_id AND d.id = a.deal_id`

// DecideApproval records decided (approved or rejected, by, with its
// reason) on the workspace's approval decided.ID if it is still pending
// and by is one of its approvers, and reports whether it did: false when it
// was decided or invalidated first.
func (s *Store) DecideApproval(ctx context.Context, ex Executor, decided pipeline.Approval, at time.Time) (pipeline.Approval, bool, error) {
	// An admin from the configuration may decide before salesbot has seen them.
	if err := s.ensurePeople(ctx, ex, decided.WorkspaceID, decided.DecidedBy); err != nil {
		return pipeline.Approval{}, false, err
	}
	var row approvalRow
	err := sqlx.GetContext(ctx, ex, &row, decideApproval, decided.WorkspaceID, decided.ID, string(decided.State),
		decided.DecidedBy, decided.DecisionReason, at)
	if errors.Is(err, sql.ErrNoRows) {
		return pipeline.Approval{}, false, nil
	}
	if err != nil {
		return pipeline.Approval{}, false, fmt.Errorf("store: decide approval %d: %w", decided.ID, err)
	}
	return row.approval(), true, nil
}

const invalidateApprovals = `
WITH a AS (
    UPDATE approvals SET state = 'invalidated', invalidated_at = $3
    WHERE workspace_id = $1 AND deal_id = $2 AND state IN ('pending', 'approved')
    RETURNING *
)
SELECT` + approvalColumns + ` FROM a JOIN deals d ON d.workspace_id = a.workspace_id AND d.id = a.deal_id`

// InvalidateApprovals voids the deal's live requests at at and returns
// them as they are now (invalidated); none when it had none.
func (s *Store) InvalidateApprovals(ctx context.Context, ex Executor, teamID string, dealID int64, at time.Time) ([]pipeline.Approval, error) {
	var rows []approvalRow
	if err := sqlx.SelectContext(ctx, ex, &rows, invalidateApprovals, teamID, dealID, at); err != nil {
		return nil, fmt.Errorf("store: invalidate approvals of deal %d: %w", dealID, err)
	}
	return approvals(rows), nil
}

const invalidatePendingApprovals = `
WITH a AS (
    UPDATE approvals SET state = 'invalidated', invalidated_at = $3
    WHERE workspace_id = $1 AND deal_id = $2 AND state = 'pending'
    RETURNING *
)
SELECT` + approvalColumns + ` FROM a JOIN deals d ON d.workspace_id = a.workspace_id AND d.id = a.deal_id`

// InvalidatePendingApprovals voids the deal's pending requests at at (not
// an approved one: a won deal keeps it as the record of its price) and
// returns them as they are now; none when it had none.
func (s *Store) InvalidatePendingApprovals(ctx context.Context, ex Executor, teamID string, dealID int64, at time.Time) ([]pipeline.Approval, error) {
	var rows []approvalRow
	if err := sqlx.SelectContext(ctx, ex, &rows, invalidatePendingApprovals, teamID, dealID, at); err != nil {
		return nil, fmt.Errorf("store: invalidate pending approvals of deal %d: %w", dealID, err)
	}
	return approvals(rows), nil
}

// UnremindedApprovals are the workspace's pending requests whose approvers
// have not been reminded, asked before before, oldest first.
func (s *Store) UnremindedApprovals(ctx context.Context, ex Executor, teamID string, before time.Time) ([]pipeline.Approval, error) {
	var rows []approvalRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectApprovals+`
WHERE a.workspace_id = $1 AND a.state = 'pending' AND a.reminded_at IS NULL AND a.requested_at < $2
ORDER BY a.requested_at, a.id`, teamID, before); err != nil {
		return nil, fmt.Errorf("store: pending approvals of %s: %w", teamID, err)
	}
	return approvals(rows), nil
}

const markApprovalReminded = `
UPDATE approvals SET reminded_at = $3
WHERE workspace_id = $1 AND id = $2 AND state = 'pending' AND reminded_at IS NULL`

// MarkApprovalReminded records at as when the pending request id reminded
// its approvers, and reports whether this call did (false: it was decided
// or reminded meanwhile), so each request reminds once.
func (s *Store) MarkApprovalReminded(ctx context.Context, ex Executor, teamID string, id int64, at time.Time) (bool, error) {
	res, err := ex.ExecContext(ctx, markApprovalReminded, teamID, id, at)
	if err != nil {
		return false, fmt.Errorf("store: remind approval %d: %w", id, err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// History of approvals: action "approval", field the step (requested,
// approved, rejected, invalidated, replaced, closed), new value what it was about.
const actionApproval = "approval"

// AppendApprovalHistory appends step of approval a to its deal's history,
// by actor ("" for the bot) at at, with what in words.
func (s *Store) AppendApprovalHistory(ctx context.Context, ex Executor, a pipeline.Approval, step, actor, what string, at time.Time) error {
	if err := s.ensurePeople(ctx, ex, a.WorkspaceID, actor); err != nil {
		return err
	}
	return s.appendHistory(ctx, ex, a.WorkspaceID, a.DealID, actor, at, entry{actionApproval, step, "", what})
}
