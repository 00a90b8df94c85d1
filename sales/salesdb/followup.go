package salesdb

import (
	"context"
	"strings"
	"unicode/utf8"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
)

// ScheduleFollowUp schedules a follow-up on a deal for in.Actor, in one
// transaction keyed by in.IdempotencyKey: the actor's right to the deal
// checked (ErrNotFound, ErrForbidden), and the follow-up, due to the
// deal's owner, stored with its history. A closed deal takes one only with
// the person's yes (in.OnClosedDeal), else sales.ErrDealClosed.
func (s *Service) ScheduleFollowUp(ctx context.Context, in ScheduleFollowUp) (FollowUpScheduled, error) {
	in.Note = strings.TrimSpace(in.Note)
	if err := validFollowUp(in); err != nil {
		return FollowUpScheduled{}, err
	}
	var res FollowUpScheduled
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		d, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		if d.Stage.Closed() && !in.OnClosedDeal {
			return sales.ErrDealClosed{Number: d.Number, Stage: s.stageLabel(ctx, tx, d)}
		}
		res.Deal = d
		res.FollowUp, err = s.store.AddFollowUp(ctx, tx, d, pipeline.FollowUp{
			WorkspaceID: d.WorkspaceID, DealID: d.ID, DealNumber: d.Number, OwnerID: d.OwnerID,
			Kind: "followup", DueAt: in.Due, Note: in.Note,
		}, in.Actor.ID, s.now())
		if err != nil {
			return err
		}
		return s.roomFollowUp(ctx, tx, res.FollowUp, in.Actor.ID, false)
	})
	if err != nil {
		return FollowUpScheduled{}, err
	}
	return res, nil
}

func validFollowUp(in ScheduleFollowUp) error {
	switch {
	case in.Team == "":
		return invalid("team", "The workspace is missing.")
	case in.Actor.ID == "":
		return invalid("actor", "Who schedules the follow-up is missing.")
	case in.Actor.WorkspaceID != in.Team:
		return invalid("actor", "The person scheduling the follow-up is not in this workspace.")
	case in.Number <= 0:
		return invalid("deal", "The deal number is missing.")
	case in.Due.IsZero():
		return invalid("when", "Say when to follow up.")
	}
	if n := utf8.RuneCountInString(in.Note); n > pipeline.MaxNotesLen {
		return invalid("note", "The note is %d characters long; the limit is %d.", n, pipeline.MaxNotesLen)
	}
	return nil
}
