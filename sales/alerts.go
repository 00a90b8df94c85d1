package sales

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// StaleDeal is an open deal idle past its stage's limit, as the morning
// alerts read it.
type StaleDeal = store.StaleDeal

// FollowUpDue is a follow-up due, with its deal's names.
type FollowUpDue = store.DueFollowUp

// Recipient is a person about to get a DM: their timezone, notification
// choices and quiet hours.
type Recipient = store.Recipient

// AlertItems is what one person hears about in the morning run.
type AlertItems struct {
	Stale     []StaleDeal     // their deals gone quiet
	Close     []pipeline.Deal // their deals past the expected close date
	Escalated []StaleDeal     // their team's deals quiet for twice the limit
}

// AlertsRequest asks for the morning alerts due at At.
type AlertsRequest struct {
	Team string
	At   time.Time
	// Day is At's date in the workspace timezone (YYYY-MM-DD): a deal is
	// alerted about once a day.
	Day string
	// Stale and Close say which alerts the workspace has switched on.
	Stale, Close bool
}

// PersonAlerts is one person's morning alerts.
type PersonAlerts struct {
	ID        string
	Active    bool      // false for someone no longer in salesbot: nothing is sent
	Recipient Recipient // when Active
	AlertItems
}

// MorningAlerts is what the morning run says, and what it marks as said.
type MorningAlerts struct {
	People []PersonAlerts // in the order first met
	// The deals to mark alerted, escalated and close-alerted for Day,
	// whether or not their person hears of them.
	Alerted, Escalated, ClosePassed []int64
}

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

// OwnerFollowUps is one owner's follow-ups due.
type OwnerFollowUps struct {
	ID        string
	Active    bool      // false for someone no longer in salesbot: nothing is sent
	Recipient Recipient // when Active
	FollowUps []FollowUpDue
}

// DueFollowUps is the follow-ups due, by owner.
type DueFollowUps struct {
	Owners []OwnerFollowUps // in the order of their first follow-up
	IDs    []int64          // every follow-up read, to mark reminded
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
