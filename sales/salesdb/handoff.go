package salesdb

import (
	"context"

	"github.com/jmoiron/sqlx"
)

// AssignLead hands a deal in.Actor may work on (ErrNotFound, ErrForbidden)
// to in.To, in one transaction keyed by in.IdempotencyKey: the deal is
// offered to them with its history, and the offer (LeadHandedOver) queued,
// unless the actor takes it themselves. ErrAlreadyOwner when in.To owns it.
func (s *Service) AssignLead(ctx context.Context, in AssignLead) (LeadAssigned, error) {
	if err := validTarget(in.Team, in.Actor, in.Number, "deal"); err != nil {
		return LeadAssigned{}, err
	}
	if in.To == "" {
		return LeadAssigned{}, invalid("to", "Who to hand the deal to is missing.")
	}
	var res LeadAssigned
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		cur, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		if cur.OwnerID == in.To {
			return ErrAlreadyOwner{Number: cur.Number, Owner: in.To}
		}
		d, err := s.store.OfferDeal(ctx, tx, cur, in.To, in.Actor.ID, s.now())
		if err != nil {
			return err
		}
		res = LeadAssigned{Deal: d, Previous: cur.OwnerID, Offered: in.To != in.Actor.ID}
		if !res.Offered {
			return s.roomOwnerChanged(ctx, tx, d, cur.OwnerID)
		}
		return s.outbox.Enqueue(ctx, tx.Tx, LeadHandedOver{Deal: d, From: in.Actor.ID})
	})
	if err != nil {
		return LeadAssigned{}, err
	}
	return res, nil
}
