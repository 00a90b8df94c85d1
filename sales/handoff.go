package sales

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// ErrAlreadyOwner is a lead handed to the person who owns it already.
type ErrAlreadyOwner struct {
	Number int64
	Owner  string
}

func (e ErrAlreadyOwner) Error() string {
	return fmt.Sprintf("%s already belongs to %s", pipeline.FormatRef(e.Number), e.Owner)
}

// AssignLead is a request to hand a deal to someone else.
type AssignLead struct {
	Team   string
	Actor  pipeline.User // as salesbot knows them, role included
	Number int64         // the deal's number in Team
	To     string        // the new owner's user ID
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// LeadAssigned is what AssignLead did.
type LeadAssigned struct {
	Deal     pipeline.Deal // after the handoff: To's, pending unless Offered is false
	Previous string        // who owned it before
	// Offered is true when To must accept (LeadHandedOver queued); an
	// actor taking a deal themselves needs no offer.
	Offered bool
}

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
			return nil
		}
		return s.outbox.Enqueue(ctx, tx.Tx, LeadHandedOver{Deal: d, From: in.Actor.ID})
	})
	if err != nil {
		return LeadAssigned{}, err
	}
	return res, nil
}
