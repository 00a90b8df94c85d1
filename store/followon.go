package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// Follow-on deal kinds: more of the same to a customer, or something else.
const (
	KindUpsell    = "upsell"
	KindCrossSell = "cross_sell"
)

// The number comes from the workspace's counter as in insertLeadDeal (see
// there why); the counter is only bumped when the parent is the workspace's
// deal, so a wrong parent uses up no number. The new deal starts as a lead
// owned by its creator, in the parent's currency, on the parent's account and
// contact.
const insertFollowOnDeal = `
WITH p AS (
    SELECT id, account_id, contact_id, currency FROM deals WHERE workspace_id = $1 AND id = $2
), n AS (
    UPDATE workspaces SET next_deal_number = next_deal_number + 1
    WHERE id = $1 AND EXISTS (SELECT 1 FROM p)
    RETURNING next_deal_number - 1 AS number
), d AS (
    INSERT INTO deals (workspace_id, number, title, kind, parent_deal_id, account_id, contact_id, stage,
        currency, owner_id, created_by)
    SELECT $1, n.number, $3::text, $4::text, p.id, p.account_id, p.contact_id, 'lead', p.currency, $5::text, $5::text
    FROM n, p
    RETURNING id
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, new_value)
    SELECT $1, d.id, $5::text, 'created', 'kind', $4::text FROM d
)
SELECT id FROM d`

// CreateFollowOnDeal opens, in tx, an upsell or cross-sell deal (kind
// KindUpsell or KindCrossSell) on parent's account and contact: a lead owned
// by actorID, numbered next in the workspace, linked to parent, with a
// "created" history entry (field "kind"). An empty title names it after the
// account. ErrNotFound when the workspace has no such parent. Commit
// promptly: until then the transaction holds the workspace's deal-number
// counter.
func (s *Store) CreateFollowOnDeal(ctx context.Context, tx *sqlx.Tx, parent pipeline.Deal, kind, title, actorID string) (pipeline.Deal, error) {
	out, err := s.createFollowOnDeal(ctx, tx, parent, kind, title, actorID)
	if err != nil {
		return pipeline.Deal{}, fmt.Errorf("store: %s of %s: %w", kind, parent.Ref(), err)
	}
	return out, nil
}

func (s *Store) createFollowOnDeal(ctx context.Context, tx *sqlx.Tx, parent pipeline.Deal, kind, title, actor string) (pipeline.Deal, error) {
	switch {
	case kind != KindUpsell && kind != KindCrossSell:
		return pipeline.Deal{}, fmt.Errorf("unknown kind %q", kind)
	case actor == "":
		return pipeline.Deal{}, errors.New("no creator")
	}
	if title == "" {
		label := map[string]string{KindUpsell: "upsell", KindCrossSell: "cross-sell"}[kind]
		title = fmt.Sprintf("%s (%s)", parent.AccountName, label)
	}
	if err := s.ensurePeople(ctx, tx, parent.WorkspaceID, actor); err != nil {
		return pipeline.Deal{}, err
	}
	var id int64
	if err := s.get(ctx, tx, &id, insertFollowOnDeal, parent.WorkspaceID, parent.ID, title, kind, actor); err != nil {
		return pipeline.Deal{}, notFound(err)
	}
	return s.dealByID(ctx, tx, parent.WorkspaceID, id)
}
