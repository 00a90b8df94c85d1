package salesdb

import (
	"context"

	"github.com/jmoiron/sqlx"

	"salesbot/store"
)

// SeedDemo adds to team a believable pipeline spread over people (accounts,
// deals in every stage, notes, follow-ups), dated back from now. With reset,
// the workspace's deals, accounts and all that hangs on them are deleted
// first. Everything happens in one transaction: a failed run writes
// nothing, not even the people.
func (s *Service) SeedDemo(ctx context.Context, team string, people []store.DemoPerson, reset bool) (store.DemoSummary, error) {
	var sum store.DemoSummary
	err := s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		if reset {
			if err := s.store.EmptyWorkspace(ctx, tx, team); err != nil {
				return err
			}
		}
		var err error
		sum, err = s.store.SeedDemo(ctx, tx, team, people, s.defaults, s.now())
		return err
	})
	if err != nil {
		return store.DemoSummary{}, err
	}
	return sum, nil
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
