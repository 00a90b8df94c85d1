package sales

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// StaleSnooze is how long snoozing a stale deal quiets its alerts.
const StaleSnooze = 7 * 24 * time.Hour

// ErrFollowUpNotFound is a follow-up that does not exist in the actor's
// workspace (any more): its reminder outlived it.
type ErrFollowUpNotFound struct{ ID int64 }

func (e ErrFollowUpNotFound) Error() string {
	return fmt.Sprintf("follow-up %d is not in this workspace", e.ID)
}

// AnswerFollowUp is a request to answer a follow-up's reminder: Done
// (CompleteFollowUp) or Snooze (SnoozeFollowUp).
type AnswerFollowUp struct {
	Team       string
	Actor      pipeline.User // as salesbot knows them, role included
	FollowUpID int64
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// FollowUpAnswered is what CompleteFollowUp or SnoozeFollowUp did.
type FollowUpAnswered struct {
	FollowUp pipeline.FollowUp
	// AlreadyDone is a follow-up done before this request, left as it was.
	AlreadyDone bool
	Until       time.Time // SnoozeFollowUp: when it is reminded again
}

// CompleteFollowUp marks a follow-up done for in.Actor, in one transaction
// keyed by in.IdempotencyKey: its owner, or someone who may work on its
// deal (ErrNotFound, ErrForbidden), may; ErrFollowUpNotFound when it is
// gone. One done already is left as it is (AlreadyDone).
func (s *Service) CompleteFollowUp(ctx context.Context, in AnswerFollowUp) (FollowUpAnswered, error) {
	return s.answerFollowUp(ctx, in, func(tx *sqlx.Tx, f pipeline.FollowUp) (FollowUpAnswered, error) {
		f, err := s.store.CompleteFollowUpTx(ctx, tx, in.Team, f.ID, in.Actor.ID)
		return FollowUpAnswered{FollowUp: f}, err
	})
}

// SnoozeFollowUp reminds a follow-up's owner of it again after the
// workspace's snooze time (at least a minute), as CompleteFollowUp for the
// rest.
func (s *Service) SnoozeFollowUp(ctx context.Context, in AnswerFollowUp) (FollowUpAnswered, error) {
	return s.answerFollowUp(ctx, in, func(tx *sqlx.Tx, f pipeline.FollowUp) (FollowUpAnswered, error) {
		st, err := s.store.Settings(ctx, in.Team)
		if err != nil {
			return FollowUpAnswered{}, err
		}
		until := s.now().Add(time.Duration(max(st.FollowupSnoozeMins, 1)) * time.Minute).Truncate(time.Minute)
		f, err = s.store.SnoozeFollowUpTx(ctx, tx, in.Team, f.ID, until, in.Actor.ID)
		return FollowUpAnswered{FollowUp: f, Until: until}, err
	})
}

func (s *Service) answerFollowUp(ctx context.Context, in AnswerFollowUp, change func(*sqlx.Tx, pipeline.FollowUp) (FollowUpAnswered, error)) (FollowUpAnswered, error) {
	if err := validTarget(in.Team, in.Actor, in.FollowUpID, "follow-up"); err != nil {
		return FollowUpAnswered{}, err
	}
	var res FollowUpAnswered
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		f, err := s.store.FollowUp(ctx, in.Team, in.FollowUpID)
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

// SnoozeDeal is a request to quiet a stale deal's alerts for StaleSnooze.
type SnoozeDeal struct {
	Team   string
	Actor  pipeline.User // as salesbot knows them, role included
	Number int64         // the deal's number in Team
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// DealSnoozed is what SnoozeDeal did.
type DealSnoozed struct {
	Deal  pipeline.Deal
	Until time.Time // no stale alerts about it before then
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
		return s.store.SnoozeDealTx(ctx, tx, in.Team, d.Number, res.Until, in.Actor.ID)
	})
	if err != nil {
		return DealSnoozed{}, err
	}
	return res, nil
}

// Deal reads deal n of actor's workspace, without locking it, and checks
// that actor may work on it.
func (s *Service) Deal(ctx context.Context, actor pipeline.User, n int64) (pipeline.Deal, error) {
	d, err := s.store.DealByNumber(ctx, actor.WorkspaceID, n)
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

// NextFollowUp is the earliest open follow-up of d, nil when it has none.
func (s *Service) NextFollowUp(ctx context.Context, d pipeline.Deal) (*pipeline.FollowUp, error) {
	return s.store.NextFollowUp(ctx, d.WorkspaceID, d.ID)
}

// History is deal n, which actor may work on (ErrNotFound, ErrForbidden
// otherwise), with what happened to it, newest first.
func (s *Service) History(ctx context.Context, actor pipeline.User, n int64) (pipeline.Deal, []pipeline.HistoryEntry, error) {
	d, err := s.Deal(ctx, actor, n)
	if err != nil {
		return d, nil, err
	}
	h, err := s.store.History(ctx, actor.WorkspaceID, d.ID)
	return d, h, err
}
