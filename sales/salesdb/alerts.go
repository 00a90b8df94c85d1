package salesdb

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"
)

// MorningAlerts reads, for each person, their deals idle past the stage's
// threshold (once a local day per deal; snoozed deals are quiet), their
// deals past the expected close date and, for managers, their team's deals
// idle for twice the threshold. Nothing is marked until MarkAlerted.
func (s *Service) MorningAlerts(ctx context.Context, in AlertsRequest) (MorningAlerts, error) {
	var res MorningAlerts
	index := map[string]int{}
	get := func(id string) *AlertItems {
		i, ok := index[id]
		if !ok {
			i = len(res.People)
			index[id] = i
			res.People = append(res.People, PersonAlerts{ID: id})
		}
		return &res.People[i].AlertItems
	}
	if in.Stale {
		deals, err := s.store.StaleForAlert(ctx, s.store.DB(), in.Team, in.At, in.Day)
		if err != nil {
			return MorningAlerts{}, err
		}
		for _, d := range deals {
			if !d.AlertedToday {
				a := get(d.OwnerID)
				a.Stale = append(a.Stale, d)
				res.Alerted = append(res.Alerted, d.ID)
			}
			if !d.EscalatedToday && d.ManagerID != "" && d.IdleDays(in.At) >= 2*d.StaleDays {
				a := get(d.ManagerID)
				a.Escalated = append(a.Escalated, d)
				res.Escalated = append(res.Escalated, d.ID)
			}
		}
	}
	if in.Close {
		deals, err := s.store.ClosePassed(ctx, s.store.DB(), in.Team, in.Day)
		if err != nil {
			return MorningAlerts{}, err
		}
		for _, d := range deals {
			a := get(d.OwnerID)
			a.Close = append(a.Close, d)
			res.ClosePassed = append(res.ClosePassed, d.ID)
		}
	}
	if len(res.People) == 0 {
		return res, nil
	}
	ids := make([]string, len(res.People))
	for i, p := range res.People {
		ids[i] = p.ID
	}
	prefs, err := s.store.Recipients(ctx, s.store.DB(), in.Team, ids)
	if err != nil {
		return MorningAlerts{}, err
	}
	for i := range res.People {
		res.People[i].Recipient, res.People[i].Active = prefs[res.People[i].ID]
	}
	return res, nil
}

// MarkAlerted records in tx that m's deals were alerted about on day, so
// that no later run of that day alerts about them again.
func (s *Service) MarkAlerted(ctx context.Context, tx *sqlx.Tx, team, day string, m MorningAlerts) error {
	if err := s.store.MarkStaleAlerted(ctx, tx, team, m.Alerted, day); err != nil {
		return err
	}
	if err := s.store.MarkEscalated(ctx, tx, team, m.Escalated, day); err != nil {
		return err
	}
	return s.store.MarkCloseAlerted(ctx, tx, team, m.ClosePassed, day)
}

// DueFollowUps reads up to limit of the workspace's follow-ups due by at and
// not yet reminded, by owner.
func (s *Service) DueFollowUps(ctx context.Context, team string, at time.Time, limit int) (DueFollowUps, error) {
	due, err := s.store.DueFollowUps(ctx, s.store.DB(), team, at, limit)
	if err != nil || len(due) == 0 {
		return DueFollowUps{}, err
	}
	var res DueFollowUps
	index := map[string]int{}
	for _, f := range due {
		i, ok := index[f.OwnerID]
		if !ok {
			i = len(res.Owners)
			index[f.OwnerID] = i
			res.Owners = append(res.Owners, OwnerFollowUps{ID: f.OwnerID})
		}
		res.Owners[i].FollowUps = append(res.Owners[i].FollowUps, f)
		res.IDs = append(res.IDs, f.ID)
	}
	ids := make([]string, len(res.Owners))
	for i, o := range res.Owners {
		ids[i] = o.ID
	}
	people, err := s.store.Recipients(ctx, s.store.DB(), team, ids)
	if err != nil {
		return DueFollowUps{}, err
	}
	for i := range res.Owners {
		res.Owners[i].Recipient, res.Owners[i].Active = people[res.Owners[i].ID]
	}
	return res, nil
}

// MarkReminded records in tx that the follow-ups ids were reminded of at at,
// and returns those it marked (one done or moved since is left alone).
func (s *Service) MarkReminded(ctx context.Context, tx *sqlx.Tx, team string, ids []int64, at time.Time) (map[int64]bool, error) {
	return s.store.MarkReminded(ctx, tx, team, ids, at)
}
