package salesdb

import (
	"context"

	"salesbot/pipeline"
)

// FindDeals returns up to in.Limit deals matching in.Query among those
// in.Actor may see.
func (s *Service) FindDeals(ctx context.Context, in FindDeals) ([]pipeline.Deal, error) {
	owners, err := s.visibleOwners(ctx, in.Actor)
	if err != nil {
		return nil, err
	}
	return s.store.FindDeals(ctx, s.store.DB(), in.Actor.WorkspaceID, in.Query, owners, in.Limit)
}

// visibleOwners are the owners whose deals actor may see: their own, a
// manager's team too, nil (everyone) for an admin.
func (s *Service) visibleOwners(ctx context.Context, actor pipeline.User) ([]string, error) {
	if actor.Role == pipeline.RoleAdmin {
		return nil, nil
	}
	want := pipeline.ScopeMine
	var team []pipeline.User
	if actor.Role == pipeline.RoleManager {
		want = pipeline.ScopeTeam
		var err error
		if team, err = s.store.TeamOf(ctx, s.store.DB(), actor.WorkspaceID, actor.ID); err != nil {
			return nil, err
		}
	}
	scope, err := pipeline.AuthorizeScope(actor, want, team)
	return scope.Owners, err
}
