package salesdb

import (
	"context"
	"errors"

	"salesbot/pipeline"
	"salesbot/store"
)

// leadListLimit bounds the open deals read for a list.
const leadListLimit = 200

// ListLeads reads the open leads in.Actor asked for: their own by default;
// with All, a manager's and their team's or, for an admin, everyone's
// (ErrOwnLeadsOnly for a rep); or one person's, whom the actor must be
// allowed to see (ErrForbidden).
func (s *Service) ListLeads(ctx context.Context, in ListLeads) (LeadList, error) {
	actor, team := in.Actor, in.Actor.WorkspaceID
	f := store.DealFilter{OpenOnly: true, Limit: leadListLimit}
	res := LeadList{Scope: LeadsMine}
	switch {
	case in.All && actor.Role == pipeline.RoleRep:
		return LeadList{}, ErrOwnLeadsOnly
	case in.All && actor.Role == pipeline.RoleManager:
		reps, err := s.store.TeamOf(ctx, s.store.DB(), team, actor.ID)
		if err != nil {
			return LeadList{}, err
		}
		f.OwnerIDs = []string{actor.ID}
		for _, u := range reps {
			f.OwnerIDs = append(f.OwnerIDs, u.ID)
		}
		res.Scope = LeadsTeam
	case in.All:
		res.Scope = LeadsAll
	case in.Owner != "" && in.Owner != actor.ID:
		owner, err := s.store.User(ctx, s.store.DB(), team, in.Owner)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return LeadList{}, err
		}
		owner.WorkspaceID, owner.ID = team, in.Owner
		if err := pipeline.Authorize(actor, owner); err != nil {
			return LeadList{}, ErrForbidden{Owner: in.Owner, Why: err}
		}
		f.OwnerIDs = []string{in.Owner}
		res.Scope, res.Owner = LeadsOf, in.Owner
	default:
		f.OwnerIDs = []string{actor.ID}
	}
	deals, err := s.store.ListDeals(ctx, s.store.DB(), team, f)
	if err != nil {
		return LeadList{}, err
	}
	for _, d := range deals {
		if d.Stage == pipeline.StageLead {
			res.Leads = append(res.Leads, d)
		}
	}
	return res, nil
}
