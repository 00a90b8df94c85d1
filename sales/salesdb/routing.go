package salesdb

import (
	"context"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// EditRouting applies in to the workspace's routing rules under its routing
// lock, once per in.IdempotencyKey, and returns the rules as saved. Only an
// admin may (ErrForbidden); removing a rule that is not there is
// ErrNoSuchRule and adding past pipeline.MaxRoutingRules is
// ErrTooManyRules, and then nothing is written.
func (s *Service) EditRouting(ctx context.Context, in EditRouting) ([]pipeline.RoutingRule, error) {
	if err := validPeople(in.Team, in.Actor, in.Actor.ID); err != nil {
		return nil, err
	}
	edits := 0
	for _, on := range []bool{in.Add != nil, in.Remove != 0, in.Clear} {
		if on {
			edits++
		}
	}
	switch {
	case edits != 1:
		return nil, invalid("edit", "Say one change: a rule to add, the number of one to remove, or clear.")
	case in.Remove < 0:
		return nil, invalid("remove", "Rule numbers start at 1.")
	case in.Add != nil && in.Add.To == "":
		return nil, invalid("to", "Say who gets the leads of the rule.")
	}
	if err := requireAdmin(in.Actor, "change routing"); err != nil {
		return nil, err
	}
	var rules []pipeline.RoutingRule
	err := s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		if err := s.store.LockRouting(ctx, tx, in.Team); err != nil {
			return err
		}
		var err error
		if rules, err = s.store.RoutingRules(ctx, tx, in.Team); err != nil {
			return err
		}
		switch {
		case in.Clear:
			rules = nil
		case in.Remove > len(rules):
			return ErrNoSuchRule{Number: in.Remove, Count: len(rules)}
		case in.Remove > 0:
			rules = append(rules[:in.Remove-1], rules[in.Remove:]...)
		case len(rules) >= pipeline.MaxRoutingRules:
			return ErrTooManyRules{Max: pipeline.MaxRoutingRules}
		default:
			rules = append(rules, *in.Add)
		}
		return s.store.SaveRoutingRules(ctx, tx, in.Team, rules)
	})
	if err != nil {
		return nil, err
	}
	return rules, nil
}

// RoutingRules are the workspace's routing rules, in the order they apply.
// Anyone may read them.
func (s *Service) RoutingRules(ctx context.Context, team string) ([]pipeline.RoutingRule, error) {
	return s.store.RoutingRules(ctx, s.store.DB(), team)
}

// ICP is the workspace's ideal customer profile, for an admin to change
// (ErrForbidden for anyone else).
func (s *Service) ICP(ctx context.Context, actor pipeline.User) (pipeline.ICP, error) {
	if err := requireAdmin(actor, "change the ideal customer profile"); err != nil {
		return pipeline.ICP{}, err
	}
	return s.store.ICP(ctx, s.store.DB(), actor.WorkspaceID)
}
