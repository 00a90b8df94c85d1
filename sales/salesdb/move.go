package salesdb

import (
	"context"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
)

// MoveDeal changes a deal's stage for in.Actor, in one transaction keyed by
// in.IdempotencyKey: the actor's right to the deal checked (ErrNotFound,
// ErrForbidden), the move planned by the pipeline's rules (its errors as
// they are), the change and its history stored (a win also makes the
// account a customer and schedules the owner's check-ins), and its notices
// queued: the big-deal alert and the win's announcement. The workspace is
// created on first sight.
func (s *Service) MoveDeal(ctx context.Context, in MoveDeal) (MovedDeal, error) {
	if err := validMove(in); err != nil {
		return MovedDeal{}, err
	}
	st, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults)
	if err != nil {
		return MovedDeal{}, err
	}
	stages, err := s.store.Stages(ctx, s.store.DB(), in.Team)
	if err != nil {
		return MovedDeal{}, err
	}
	var res MovedDeal
	err = s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		var err error
		res, err = s.moveTx(ctx, tx, in.Actor, st, stages, in.Number, in.Move)
		return err
	})
	return res, err
}

func validMove(in MoveDeal) error {
	switch {
	case in.Team == "":
		return invalid("team", "The workspace is missing.")
	case in.Actor.ID == "":
		return invalid("actor", "Who moves the deal is missing.")
	case in.Actor.WorkspaceID != in.Team:
		return invalid("actor", "The person moving the deal is not in this workspace.")
	case in.Number <= 0:
		return invalid("deal", "The deal number is missing.")
	case in.Move.To == "":
		return invalid("stage", "The stage to move the deal to is missing.")
	}
	return nil
}

// moveTx is MoveDeal inside the caller's transaction, for a change that
// must commit or fail together with a move (qualifying a lead moves it); the
// caller claims the request's key. st and stages are the workspace's.
func (s *Service) moveTx(ctx context.Context, tx *sqlx.Tx, actor pipeline.User, st pipeline.Settings, stages []pipeline.StageDef, n int64, m pipeline.Move) (MovedDeal, error) {
	var res MovedDeal
	d, err := s.lockDeal(ctx, tx, actor, n)
	if err != nil {
		return res, err
	}
	res.Before = d
	if res.Change, err = pipeline.PlanMove(d, stages, m); err != nil {
		return res, err
	}
	if err := s.checkDealRules(ctx, tx, d, res.Change, stages); err != nil {
		return res, err
	}
	if res.After, err = s.store.ApplyStageChange(ctx, tx, d, res.Change, actor.ID, s.now()); err != nil {
		return res, err
	}
	if err := s.publish(ctx, tx, stageEvent(res.Change), res.After, res.Change.From); err != nil {
		return res, err
	}
	if err := s.roomMoved(ctx, tx, actor.ID, res.After, res.Change, stages); err != nil {
		return res, err
	}
	if res.After.Stage.Closed() { // nothing is left to decide on a closed deal
		if _, err := s.voidApprovals(ctx, tx, res.After, actor.ID, sales.VoidClosed); err != nil {
			return res, err
		}
	}
	if res.ClosedFollowUps, err = s.closeFollowUps(ctx, tx, actor, res.After, res.Change); err != nil {
		return res, err
	}
	if err := s.autoRoom(ctx, tx, st, res.After, res.Change); err != nil {
		return res, err
	}
	if big, ok := bigDealMoved(st, res.After, res.Change, actor.ID, stages); ok {
		if err := s.outbox.Enqueue(ctx, tx.Tx, big); err != nil {
			return res, err
		}
	}
	if res.Change.To == pipeline.StageWon && st.CelebrationChannel == "" {
		if err := s.celebrationHint(ctx, tx, actor, res.After); err != nil {
			return res, err
		}
	}
	if res.Change.To == pipeline.StageWon && st.CelebrationChannel != "" {
		if err := s.outbox.Enqueue(ctx, tx.Tx, DealWon{Deal: res.After, Channel: st.CelebrationChannel, At: s.now()}); err != nil {
			return res, err
		}
	}
	return res, nil
}

// bigDealMoved is the alert for a move of d, when the workspace has a
// big-deal threshold and an alerts channel and d is worth at least that.
func bigDealMoved(st pipeline.Settings, d pipeline.Deal, c pipeline.StageChange, by string, stages []pipeline.StageDef) (BigDealMoved, bool) {
	if st.BigDealMinor <= 0 || st.AlertsChannel == "" || d.Value.Minor < st.BigDealMinor {
		return BigDealMoved{}, false
	}
	label := func(k pipeline.Stage) string {
		for _, s := range stages {
			if s.Key == k {
				return s.Label
			}
		}
		return string(k)
	}
	return BigDealMoved{Deal: d, Change: c, By: by, Channel: st.AlertsChannel, From: label(c.From), To: label(c.To)}, true
}
