package salesdb

import (
	"context"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// editFields is the order in which a form's errors are reported, the
// form's own, so that the same bad form always names the same field.
var editFields = []pipeline.LeadField{
	pipeline.FieldTitle, pipeline.FieldValue, pipeline.FieldExpectedClose, pipeline.FieldSource,
	pipeline.FieldContactName, pipeline.FieldContactEmail,
}

// EditDeal edits a deal for in.Actor, in one transaction keyed by
// in.IdempotencyKey: the actor's right to the deal checked (ErrNotFound,
// ErrForbidden), the form checked against the stored deal (its currency
// reads the value; a *ValidationError names the first bad field), the
// changed fields and their history stored, and the deal rescored, since
// source and value count in the lead score.
func (s *Service) EditDeal(ctx context.Context, in EditDeal) (DealEdited, error) {
	if err := validEdit(in); err != nil {
		return DealEdited{}, err
	}
	var res DealEdited
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		d, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		res.Before, res.After = d, d
		edited, changes, fe := pipeline.ValidateEdit(d, in.Form)
		if err := firstInvalid(fe); err != nil {
			return err
		}
		if res.Changes = changes; len(changes) == 0 {
			return nil
		}
		if res.After, err = s.store.UpdateDeal(ctx, tx, d, changes, edited, in.Actor.ID, s.now()); err != nil {
			return err
		}
		if res.After, err = s.Rescored(ctx, tx, res.After); err != nil {
			return err
		}
		if err := s.roomEdited(ctx, tx, res.After, in.Actor.ID, changes); err != nil {
			return err
		}
		if pipeline.Invalidates(changes) {
			if _, err := s.invalidateApprovals(ctx, tx, res.After, in.Actor.ID); err != nil {
				return err
			}
		}
		return s.publish(ctx, tx, pipeline.EventDealUpdated, res.After, "")
	})
	if err != nil {
		return DealEdited{}, err
	}
	return res, nil
}

func validEdit(in EditDeal) error {
	switch {
	case in.Team == "":
		return invalid("team", "The workspace is missing.")
	case in.Actor.ID == "":
		return invalid("actor", "Who edits the deal is missing.")
	case in.Actor.WorkspaceID != in.Team:
		return invalid("actor", "The person editing the deal is not in this workspace.")
	case in.Number <= 0:
		return invalid("deal", "The deal number is missing.")
	}
	return nil
}

// firstInvalid is fe's first error in the form's order, nil when fe is empty.
func firstInvalid(fe pipeline.FieldErrors) error {
	for _, f := range editFields {
		if msg, ok := fe[f]; ok {
			return &ValidationError{Field: string(f), Msg: msg}
		}
	}
	for f, msg := range fe { // a field the form does not show
		return &ValidationError{Field: string(f), Msg: msg}
	}
	return nil
}
