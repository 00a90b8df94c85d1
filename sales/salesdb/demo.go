package salesdb

import (
	"context"
	"errors"

	"salesbot/store"
)

// SeedDemo fills team, which has no deals yet, with a believable pipeline
// spread over people (accounts, deals in every stage, notes, follow-ups),
// dated back from now, in one transaction; ErrWorkspaceHasDeals otherwise,
// and nothing is written.
func (s *Service) SeedDemo(ctx context.Context, team string, people []store.DemoPerson) (store.DemoSummary, error) {
	sum, err := s.store.SeedDemo(ctx, s.store.DB(), team, people, s.defaults, s.now())
	if errors.Is(err, store.ErrWorkspaceHasDeals) {
		return sum, ErrWorkspaceHasDeals
	}
	return sum, err
}

// DemoPeople are the workspace's known, active people, to spread demo deals
// over in a real workspace.
func (s *Service) DemoPeople(ctx context.Context, team string) ([]store.DemoPerson, error) {
	return s.store.DemoPeople(ctx, s.store.DB(), team)
}

// HasDeals reports whether the workspace has any deal.
func (s *Service) HasDeals(ctx context.Context, team string) (bool, error) {
	return s.store.HasDeals(ctx, s.store.DB(), team)
}
