package salesdb

import (
	"context"
	"time"

	"salesbot/pipeline"
	"salesbot/store"
)

// Home reads what in.Actor's App Home shows: their open deals, follow-ups
// due today, stale deals and, for anyone but a rep, their team's totals.
func (s *Service) Home(ctx context.Context, in ReadHome) (Home, error) {
	actor, team := in.Actor, in.Actor.WorkspaceID
	loc := in.Loc
	if loc == nil {
		loc = time.UTC
	}
	h := Home{Actor: actor, Currency: in.Currency, Now: s.now()}
	var err error
	if h.Stages, err = s.store.Stages(ctx, s.store.DB(), team); err != nil {
		return h, err
	}
	mine := []string{actor.ID}
	if h.Open, err = s.store.ListDeals(ctx, s.store.DB(), team, store.DealFilter{OwnerIDs: mine, OpenOnly: true, Limit: HomeDeals}); err != nil {
		return h, err
	}
	y, m, d := h.Now.In(loc).Date()
	endOfToday := time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	due, err := s.store.FollowUpsDue(ctx, s.store.DB(), team, mine, endOfToday, HomeDeals)
	if err != nil {
		return h, err
	}
	h.Due = make([]DueFollowUp, len(due))
	for i, f := range due {
		h.Due[i] = DueFollowUp{FollowUp: f.FollowUp, AccountName: f.AccountName}
	}
	if h.Stale, err = s.store.StaleDealsOf(ctx, s.store.DB(), team, mine, h.Now, HomeDeals); err != nil {
		return h, err
	}
	if actor.Role == pipeline.RoleRep {
		return h, nil
	}
	reps, err := s.store.TeamOf(ctx, s.store.DB(), team, actor.ID)
	if err != nil || len(reps) == 0 {
		return h, err
	}
	ids := make([]string, len(reps))
	for i, u := range reps {
		ids[i] = u.ID
	}
	open, err := s.store.OpenByOwner(ctx, s.store.DB(), team, ids)
	if err != nil {
		return h, err
	}
	stale, err := s.store.StaleDealsOf(ctx, s.store.DB(), team, ids, h.Now, 10*HomeDeals)
	if err != nil {
		return h, err
	}
	staleOf := map[string]int{}
	for _, d := range stale {
		staleOf[d.OwnerID]++
	}
	h.Team = make([]TeamMember, len(reps))
	for i, u := range reps {
		h.Team[i] = TeamMember{User: u, Open: open[u.ID].Open, Amount: open[u.ID].Amount, Stale: staleOf[u.ID]}
	}
	return h, nil
}

// HomeOpened marks that the person has opened their App Home, so changes
// to their deals republish it.
func (s *Service) HomeOpened(ctx context.Context, team, user string) error {
	return s.store.MarkHomeOpened(ctx, s.store.DB(), team, user)
}

// HomeRefresh says whom to republish after a change to user's deals: whether
// their own Home is worth publishing (they have opened it), and their
// manager, whose Home shows the team ("" when none or not asked).
func (s *Service) HomeRefresh(ctx context.Context, team, user string, managerToo bool) (opened bool, manager string, err error) {
	manager, opened, err = s.store.HomeRefresh(ctx, s.store.DB(), team, user) // one query for both
	if !managerToo {
		manager = ""
	}
	return opened, manager, err
}
