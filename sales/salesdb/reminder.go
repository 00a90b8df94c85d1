package salesdb

import (
	"context"
	"errors"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// CompleteFollowUp marks a follow-up done for in.Actor, in one transaction
// keyed by in.IdempotencyKey: its owner, or someone who may work on its
// deal (ErrNotFound, ErrForbidden), may; ErrFollowUpNotFound when it is
// gone. One done already is left as it is (AlreadyDone).
func (s *Service) CompleteFollowUp(ctx context.Context, in AnswerFollowUp) (FollowUpAnswered, error) {
	return s.answerFollowUp(ctx, in, func(tx *sqlx.Tx, f pipeline.FollowUp) (FollowUpAnswered, error) {
		f, err := s.store.CompleteFollowUp(ctx, tx, in.Team, f.ID, in.Actor.ID, s.now())
		if err != nil {
			return FollowUpAnswered{}, err
		}
		return FollowUpAnswered{FollowUp: f}, s.roomFollowUp(ctx, tx, f, in.Actor.ID, true)
	})
}

// SnoozeFollowUp reminds a follow-up's owner of it again after the
// workspace's snooze time (at least a minute), as CompleteFollowUp for the
// rest.
func (s *Service) SnoozeFollowUp(ctx context.Context, in AnswerFollowUp) (FollowUpAnswered, error) {
	return s.answerFollowUp(ctx, in, func(tx *sqlx.Tx, f pipeline.FollowUp) (FollowUpAnswered, error) {
		st, err := s.store.Settings(ctx, s.store.DB(), in.Team)
		if err != nil {
			return FollowUpAnswered{}, err
		}
		until := s.now().Add(time.Duration(max(st.FollowupSnoozeMins, 1)) * time.Minute).Truncate(time.Minute)
		f, err = s.store.SnoozeFollowUp(ctx, tx, in.Team, f.ID, until, in.Actor.ID, s.now())
		return FollowUpAnswered{FollowUp: f, Until: until}, err
	})
}

func (s *Service) answerFollowUp(ctx context.Context, in AnswerFollowUp, change func(*sqlx.Tx, pipeline.FollowUp) (FollowUpAnswered, error)) (FollowUpAnswered, error) {
	if err := validTarget(in.Team, in.Actor, in.FollowUpID, "follow-up"); err != nil {
		return FollowUpAnswered{}, err
	}
	var res FollowUpAnswered
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		f, err := s.store.FollowUp(ctx, s.store.DB(), in.Team, in.FollowUpID)
		if errors.Is(err, store.ErrNotFound) {
			return ErrFollowUpNotFound{ID: in.FollowUpID}
		}
		if err != nil {
			return err
		}
		if in.Actor.ID != f.OwnerID {
			if _, err := s.Deal(ctx, in.Actor, f.DealNumber); err != nil {
				return err
			}
		}
		if f.DoneAt != nil {
			res = FollowUpAnswered{FollowUp: f, AlreadyDone: true}
			return nil
		}
		res, err = change(tx, f)
		return err
	})
	if err != nil {
		return FollowUpAnswered{}, err
	}
	return res, nil
}

// SnoozeDeal quiets the stale alerts of a deal in.Actor may work on
// (ErrNotFound, ErrForbidden) for StaleSnooze from now, in one
// transaction keyed by in.IdempotencyKey.
func (s *Service) SnoozeDeal(ctx context.Context, in SnoozeDeal) (DealSnoozed, error) {
	if err := validTarget(in.Team, in.Actor, in.Number, "deal"); err != nil {
		return DealSnoozed{}, err
	}
	var res DealSnoozed
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		d, err := s.Deal(ctx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		res = DealSnoozed{Deal: d, Until: s.now().Add(StaleSnooze)}
		return s.store.SnoozeDeal(ctx, tx, in.Team, d.Number, res.Until, in.Actor.ID, s.now())
	})
	if err != nil {
		return DealSnoozed{}, err
	}
	return res, nil
}

// Deal reads deal n of actor's workspace, without locking it, and checks
// that actor may work on it.
func (s *Service) Deal(ctx context.Context, actor pipeline.User, n int64) (pipeline.Deal, error) {
	d, err := s.store.DealByNumber(ctx, s.store.DB(), actor.WorkspaceID, n)
	if errors.Is(err, store.ErrNotFound) {
		return d, ErrNotFound{Number: n}
	}
	if err != nil {
		return d, err
	}
	return d, s.authorize(ctx, actor, d)
}

// validTarget checks the parts every request on one thing has: the
// workspace, an actor in it and the thing's id (field names it).
func validTarget(team string, actor pipeline.User, id int64, field string) error {
	switch {
	case team == "":
		return invalid("team", "The workspace is missing.")
	case actor.ID == "":
		return invalid("actor", "Who asks is missing.")
	case actor.WorkspaceID != team:
		return invalid("actor", "The person asking is not in this workspace.")
	case id <= 0:
		return invalid(field, "The %s is missing.", field)
	}
	return nil
}
