package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

// What routing needs to know of one deal.
const selectDealRouting = `
SELECT d.routed, d.handoff_state, d.handoff_declined, d.created_by, a.industry, a.company_size, a.territory
FROM deals d JOIN accounts a ON a.id = d.account_id
WHERE d.workspace_id = $1 AND d.id = $2`

const markDealRouted = `UPDATE deals SET routed = true WHERE workspace_id = $1 AND id = $2`

// Pending handoffs offered before the cutoff, oldest first (deals_handoff_idx).
const selectExpiredHandoffs = `
SELECT number, handoff_offered_at FROM deals
WHERE workspace_id = $1 AND handoff_state = 'pending' AND handoff_offered_at < $2
ORDER BY handoff_offered_at
LIMIT $3`

// A handoff nobody answered in time: the owner counts as having declined.
// "pending AND offered no later than the offer that lapsed" makes a second
// run, an answer that came first or a newer offer change nothing.
const expireHandoff = `
UPDATE deals SET handoff_state = 'none',
    handoff_declined = CASE WHEN owner_id = ANY(handoff_declined) THEN handoff_declined
                            ELSE array_append(handoff_declined, owner_id) END,
    updated_at = now()
WHERE workspace_id = $1 AND id = $2 AND handoff_state = 'pending' AND handoff_offered_at <= $3
RETURNING owner_id`

// DealRouting is what routing knows of one deal.
type DealRouting struct {
	Routed    bool           `db:"routed"`
	Handoff   string         `db:"handoff_state"`
	Declined  pq.StringArray `db:"handoff_declined"`
	CreatedBy string         `db:"created_by"`
	Industry  string         `db:"industry"`
	Size      string         `db:"company_size"`
	Territory string         `db:"territory"`
}

// DealRouting reads deal d's routing state in tx.
func (s *Store) DealRouting(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal) (DealRouting, error) {
	var r DealRouting
	if err := tx.GetContext(ctx, &r, selectDealRouting, d.WorkspaceID, d.ID); err != nil {
		return r, fmt.Errorf("store: routing of %s: %w", d.Ref(), notFound(err))
	}
	return r, nil
}

// MarkDealRouted marks deal d as routed by the bot (so a rejection routes it
// on) and appends a "routed" history entry saying why.
func (s *Store) MarkDealRouted(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, reason string) error {
	if _, err := tx.ExecContext(ctx, markDealRouted, d.WorkspaceID, d.ID); err != nil {
		return fmt.Errorf("store: mark %s routed: %w", d.Ref(), err)
	}
	if err := s.appendHistory(ctx, tx, d.WorkspaceID, d.ID, "", entry{"routed", "", "", reason}); err != nil {
		return fmt.Errorf("store: mark %s routed: %w", d.Ref(), err)
	}
	return nil
}

// PendingHandoff is a deal waiting for its owner to accept it.
type PendingHandoff struct {
	Number    int64     `db:"number"`
	OfferedAt time.Time `db:"handoff_offered_at"`
}

// ExpiredHandoffs returns up to limit deals whose handoff has been pending
// since before cutoff, oldest first.
func (s *Store) ExpiredHandoffs(ctx context.Context, teamID string, cutoff time.Time, limit int) ([]PendingHandoff, error) {
	var out []PendingHandoff
	if err := sqlx.SelectContext(ctx, s.db, &out, selectExpiredHandoffs, teamID, cutoff, limit); err != nil {
		return nil, fmt.Errorf("store: expired handoffs of %s: %w", teamID, err)
	}
	return out, nil
}

// ExpireHandoff ends deal d's pending handoff offered at or before cutoff: the
// owner it waited on is added to the decliners and returned, and history
// gets a "handoff" entry (timed out) by the bot. ErrNotPending when it was
// answered or re-offered meanwhile.
func (s *Store) ExpireHandoff(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal, cutoff time.Time) (string, error) {
	var owner string
	if err := tx.GetContext(ctx, &owner, expireHandoff, d.WorkspaceID, d.ID, cutoff); err != nil {
		if errors.Is(notFound(err), ErrNotFound) {
			return "", fmt.Errorf("store: expire handoff of %s: %w", d.Ref(), ErrNotPending)
		}
		return "", fmt.Errorf("store: expire handoff of %s: %w", d.Ref(), err)
	}
	if err := s.appendHistory(ctx, tx, d.WorkspaceID, d.ID, "", entry{actionHandoff, "handoff", "pending", "timed out"}); err != nil {
		return "", fmt.Errorf("store: expire handoff of %s: %w", d.Ref(), err)
	}
	return owner, nil
}

// WarmLeadQueries prepares the statements of CreateLeadTx ahead of a
// transaction that runs it (CreateLead does this itself).
func (s *Store) WarmLeadQueries(ctx context.Context) { s.warm(ctx, leadQueries...) }
