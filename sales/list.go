package sales

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"salesbot/pipeline"
	"salesbot/store"
)

// maxListed bounds the open leads one list reads.
const maxListed = 200

// ListLeads asks for open leads at the lead stage: Actor's own by default,
// Of's (someone Actor may see the deals of), or with All everyone's Actor
// may see (a manager's team's, an admin's whole workspace).
type ListLeads struct {
	Actor pipeline.User
	All   bool
	Of    string
}

// OpenLeads are the open leads in.ListLeads asks for, most recently active
// first, at most 200. A rep asking for All, or anyone asking for the leads
// of someone whose deals they may not see, gets ErrForbidden.
func (s *Service) OpenLeads(ctx context.Context, in ListLeads) ([]pipeline.Deal, error) {
	actor := in.Actor
	if actor.ID == "" || actor.WorkspaceID == "" {
		return nil, invalid("actor", "Who asks is missing.")
	}
	f := store.DealFilter{OpenOnly: true, Limit: maxListed}
	switch {
	case in.All && actor.Role == pipeline.RoleRep:
		return nil, ErrForbidden{why: fmt.Errorf("%w: a rep sees their own leads", pipeline.ErrForbidden)}
	case in.All && actor.Role == pipeline.RoleManager:
		owners, err := s.teamOwners(ctx, actor)
		if err != nil {
			return nil, err
		}
		f.OwnerIDs = owners
	case in.All:
	case in.Of != "" && in.Of != actor.ID:
		owner, err := s.store.User(ctx, actor.WorkspaceID, in.Of)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return nil, err
		}
		owner.WorkspaceID, owner.ID = actor.WorkspaceID, in.Of
		if err := pipeline.Authorize(actor, owner); err != nil {
			return nil, ErrForbidden{Owner: in.Of, why: err}
		}
		f.OwnerIDs = []string{in.Of}
	default:
		f.OwnerIDs = []string{actor.ID}
	}
	deals, err := s.store.ListDeals(ctx, actor.WorkspaceID, f)
	if err != nil {
		return nil, err
	}
	leads := deals[:0]
	for _, d := range deals {
		if d.Stage == pipeline.StageLead {
			leads = append(leads, d)
		}
	}
	return leads, nil
}

// maxFound bounds the deals one search returns.
const maxFound = 50

// FindDeals are the deals whose company, title or contact match query,
// among those actor may see: their own, a manager's team's too, an admin's
// whole workspace; at most 50.
func (s *Service) FindDeals(ctx context.Context, actor pipeline.User, query string) ([]pipeline.Deal, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, invalid("query", "Say what to look for: a company, title or contact.")
	}
	var owners []string // an admin sees everyone's
	switch actor.Role {
	case pipeline.RoleAdmin:
	case pipeline.RoleManager:
		var err error
		if owners, err = s.teamOwners(ctx, actor); err != nil {
			return nil, err
		}
	default:
		owners = []string{actor.ID}
	}
	return s.store.FindDeals(ctx, actor.WorkspaceID, query, owners, maxFound)
}

// teamOwners are a manager and the people they manage.
func (s *Service) teamOwners(ctx context.Context, manager pipeline.User) ([]string, error) {
	team, err := s.store.TeamOf(ctx, manager.WorkspaceID, manager.ID)
	if err != nil {
		return nil, err
	}
	owners := []string{manager.ID}
	for _, u := range team {
		owners = append(owners, u.ID)
	}
	return owners, nil
}

// RememberTimezone records the person's timezone as Slack gave it, so it
// is not asked for again.
func (s *Service) RememberTimezone(ctx context.Context, u pipeline.User, tz string) error {
	return s.store.SetUserTimezone(ctx, u.WorkspaceID, u.ID, tz)
}
