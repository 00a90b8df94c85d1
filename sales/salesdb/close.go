package salesdb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

// closeFollowUps finishes d's open follow-ups when c closed it: a closed
// deal has nothing left to follow up. Post-sale check-ins stay.
func (s *Service) closeFollowUps(ctx context.Context, tx *sqlx.Tx, actor pipeline.User, d pipeline.Deal, c pipeline.StageChange) (sales.ClosedFollowUps, error) {
	if !c.To.Closed() {
		return sales.ClosedFollowUps{}, nil
	}
	// Postgres keeps microseconds: the time Keep matches must be the stored one.
	at := s.now().Truncate(time.Microsecond)
	ids, err := s.store.CloseDealFollowUps(ctx, tx, d.WorkspaceID, d.ID, actor.ID, at)
	if err != nil || len(ids) == 0 {
		return sales.ClosedFollowUps{}, err
	}
	return sales.ClosedFollowUps{IDs: ids, At: at}, nil
}

// KeepFollowUps reopens the follow-ups that closing deal in.Number finished,
// for in.Actor (who may work on the deal), in one transaction keyed by
// in.IdempotencyKey. Those kept already, or done by hand since, stay as
// they are, so a second click reopens nothing (Kept 0).
func (s *Service) KeepFollowUps(ctx context.Context, in sales.KeepFollowUps) (sales.FollowUpsKept, error) {
	switch {
	case in.Team == "" || in.Actor.WorkspaceID != in.Team:
		return sales.FollowUpsKept{}, invalid("actor", "The person keeping the follow-ups is not in this workspace.")
	case in.Number <= 0:
		return sales.FollowUpsKept{}, invalid("deal", "The deal number is missing.")
	case len(in.Closed.IDs) == 0 || in.Closed.At.IsZero():
		return sales.FollowUpsKept{}, invalid("followups", "Which follow-ups to keep is missing.")
	}
	var res sales.FollowUpsKept
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		d, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		kept, err := s.store.KeepDealFollowUps(ctx, tx, in.Team, d.ID, in.Closed.IDs, in.Closed.At, in.Actor.ID, s.now())
		res = sales.FollowUpsKept{Deal: d, Kept: len(kept)}
		return err
	})
	return res, err
}

// celebrationHint tells the winner and the admins, once per workspace ever,
// that wins are announced nowhere until a celebration channel is set.
func (s *Service) celebrationHint(ctx context.Context, tx *sqlx.Tx, winner pipeline.User, d pipeline.Deal) error {
	err := s.Claim(ctx, tx, d.WorkspaceID, store.OnceKeyPrefix+"celebration-channel-hint")
	if errors.Is(err, ErrDuplicate) {
		return nil
	}
	if err != nil {
		return err
	}
	admins, err := s.adminIDs(ctx, tx, d.WorkspaceID)
	if err != nil {
		return err
	}
	to := []string{winner.ID}
	for _, a := range admins {
		if !slices.Contains(to, a) {
			to = append(to, a)
		}
	}
	for _, id := range to {
		if err := s.outbox.Enqueue(ctx, tx.Tx, sales.CelebrationHint{To: id, Deal: d, Admins: admins}); err != nil {
			return fmt.Errorf("celebration hint: %w", err)
		}
	}
	return nil
}

// adminIDs are the workspace's admins: those recorded, and those configured
// as admins from the start who have not been seen yet.
func (s *Service) adminIDs(ctx context.Context, ex store.Executor, team string) ([]string, error) {
	ids, err := s.store.Admins(ctx, ex, team)
	if err != nil {
		return nil, err
	}
	for id := range s.admins {
		if !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids, nil
}

// Admins are the workspace's admins, for a refusal that names who can.
func (s *Service) Admins(ctx context.Context, team string) ([]string, error) {
	return s.adminIDs(ctx, s.store.DB(), team)
}

// stageLabel is d's stage as the workspace names it.
func (s *Service) stageLabel(ctx context.Context, ex store.Executor, d pipeline.Deal) string {
	stages, err := s.store.Stages(ctx, ex, d.WorkspaceID)
	if err != nil {
		return pipeline.StageLabel(d.Stage)
	}
	return pipeline.StageLabelIn(stages, d.Stage)
}
