package salesdb

import (
	"context"
	"errors"

	"salesbot/pipeline"
	"salesbot/store"
)

// CardDetails reads what d's card shows besides d. The caller has read d
// through Deal or a use case, which checked the viewer's right to it.
func (s *Service) CardDetails(ctx context.Context, d pipeline.Deal) (CardDetails, error) {
	var c CardDetails
	var err error
	if c.Stages, err = s.store.Stages(ctx, s.store.DB(), d.WorkspaceID); err != nil {
		return c, err
	}
	if c.Next, err = s.store.NextFollowUp(ctx, s.store.DB(), d.WorkspaceID, d.ID); err != nil {
		return c, err
	}
	rules, err := s.store.ApprovalRules(ctx, s.store.DB(), d.WorkspaceID)
	if err != nil {
		return c, err
	}
	c.ApprovalsOn = rules.On
	if c.Room, err = s.roomOf(ctx, d); err != nil {
		return c, err
	}
	a, err := s.store.LatestApproval(ctx, s.store.DB(), d.WorkspaceID, d.ID)
	if errors.Is(err, store.ErrNotFound) {
		return c, nil
	}
	c.Approval = &a
	return c, err
}

// Stages are the workspace's stages, in pipeline order.
func (s *Service) Stages(ctx context.Context, team string) ([]pipeline.StageDef, error) {
	return s.store.Stages(ctx, s.store.DB(), team)
}

// History reads deal n's history for actor, who must be allowed to work on
// it (ErrNotFound, ErrForbidden).
func (s *Service) History(ctx context.Context, actor pipeline.User, n int64) (DealHistory, error) {
	d, err := s.Deal(ctx, actor, n)
	if err != nil {
		return DealHistory{}, err
	}
	h, err := s.store.History(ctx, s.store.DB(), actor.WorkspaceID, d.ID)
	return DealHistory{Deal: d, Entries: h}, err
}

// Qualification reads deal n for actor (ErrNotFound, ErrForbidden) with its
// qualification answers so far (nil when none).
func (s *Service) Qualification(ctx context.Context, actor pipeline.User, n int64) (pipeline.Deal, *pipeline.Qualification, error) {
	d, err := s.Deal(ctx, actor, n)
	if err != nil {
		return d, nil, err
	}
	q, err := s.store.Qualification(ctx, s.store.DB(), d)
	return d, q, err
}
