package scheduler

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/commands"
	"salesbot/outbox"
	"salesbot/pipeline"
)

// morning sends each person one DM with what needs them today: their deals
// idle past the stage's threshold (once a local day per deal; snoozed deals
// are quiet), their deals past the expected close date, and, for managers,
// their team's deals idle for twice the threshold. Several alerts for one
// person at one time are one message, not a burst.
func (s *Scheduler) morning(ctx context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	day := at.In(location(st.Timezone)).Format(time.DateOnly)
	byPerson := map[string]*commands.AlertItems{}
	var order []string
	get := func(id string) *commands.AlertItems {
		if byPerson[id] == nil {
			byPerson[id] = &commands.AlertItems{}
			order = append(order, id)
		}
		return byPerson[id]
	}
	var alerted, escalated, closeIDs []int64
	if enabled(st, pipeline.JobStale) {
		deals, err := s.store.StaleForAlert(ctx, s.store.DB(), st.WorkspaceID, at, day)
		if err != nil {
			return nil, err
		}
		for _, d := range deals {
			if !d.AlertedToday {
				get(d.OwnerID).Stale = append(get(d.OwnerID).Stale, d)
				alerted = append(alerted, d.ID)
			}
			if !d.EscalatedToday && d.ManagerID != "" && d.IdleDays(at) >= 2*d.StaleDays {
				get(d.ManagerID).Escalated = append(get(d.ManagerID).Escalated, d)
				escalated = append(escalated, d.ID)
			}
		}
	}
	if enabled(st, pipeline.JobClosePassed) {
		deals, err := s.store.ClosePassed(ctx, s.store.DB(), st.WorkspaceID, day)
		if err != nil {
			return nil, err
		}
		for _, d := range deals {
			get(d.OwnerID).Close = append(get(d.OwnerID).Close, d)
			closeIDs = append(closeIDs, d.ID)
		}
	}
	if len(order) == 0 {
		return nil, nil
	}
	prefs, err := s.store.Recipients(ctx, s.store.DB(), st.WorkspaceID, order)
	if err != nil {
		return nil, err
	}
	var msgs []outbox.Message
	for _, id := range order {
		p, active := prefs[id]
		if !active {
			continue // deactivated: their deals are marked, nothing is sent
		}
		rc := newRecipient(p, st)
		a := byPerson[id]
		if !rc.want(pipeline.NotifyStale) {
			a.Stale = nil
		}
		if !rc.want(pipeline.NotifyClose) {
			a.Close = nil
		}
		if !rc.want(pipeline.NotifyEscalation) {
			a.Escalated = nil
		}
		if m, ok := alertsMessage(st.WorkspaceID, id, day, a, rc, at); ok {
			msgs = append(msgs, m)
		}
	}
	return func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error {
		if err := s.store.MarkStaleAlerted(ctx, tx, st.WorkspaceID, alerted, day); err != nil {
			return err
		}
		if err := s.store.MarkEscalated(ctx, tx, st.WorkspaceID, escalated, day); err != nil {
			return err
		}
		if err := s.store.MarkCloseAlerted(ctx, tx, st.WorkspaceID, closeIDs, day); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, out, msgs)
	}, nil
}

// alertsMessage is one person's morning DM; ok is false when nothing is left
// to say after their choices.
func alertsMessage(team, person, day string, a *commands.AlertItems, rc recipient, at time.Time) (outbox.Message, bool) {
	text, blocks, ok := commands.MorningAlerts(*a, at)
	if !ok {
		return outbox.Message{}, false
	}
	return outbox.Message{TeamID: team, Channel: person, Kind: "alerts", Text: text, Blocks: blocks,
		Key: "alerts:" + person + ":" + day, NotBefore: rc.notBefore(at)}, true
}
