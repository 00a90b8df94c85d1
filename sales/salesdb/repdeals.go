package salesdb

import (
	"context"
	"errors"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

// OwnerDeals reads in.Owner's open deals for in.Actor, who must be allowed
// to see them: themselves, their manager or an admin (ErrForbidden).
func (s *Service) OwnerDeals(ctx context.Context, in sales.OwnerDeals) (sales.OwnerPipeline, error) {
	actor, team := in.Actor, in.Actor.WorkspaceID
	owner, err := s.store.User(ctx, s.store.DB(), team, in.Owner)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return sales.OwnerPipeline{}, err
	}
	owner.WorkspaceID, owner.ID = team, in.Owner
	if err := pipeline.Authorize(actor, owner); err != nil {
		return sales.OwnerPipeline{}, ErrForbidden{Owner: in.Owner, Why: err}
	}
	res := sales.OwnerPipeline{Owner: in.Owner}
	if res.Stages, err = s.store.Stages(ctx, s.store.DB(), team); err != nil {
		return res, err
	}
	res.Open, err = s.store.ListDeals(ctx, s.store.DB(), team, store.DealFilter{OwnerIDs: []string{in.Owner}, OpenOnly: true, Limit: sales.HomeDeals})
	return res, err
}
