package scheduler

import (
	"context"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// morning sends each person one DM with what needs them today: their deals
// idle past the stage's threshold (once a local day per deal; snoozed deals
// are quiet), their deals past the expected close date, and, for managers,
// their team's deals idle for twice the threshold. Several alerts for one
// person at one time are one message, not a burst.
func (s *Scheduler) morning(ctx context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	day := at.In(pipeline.Zone(st.Timezone)).Format(time.DateOnly)
	due, err := s.sales.MorningAlerts(ctx, sales.AlertsRequest{Team: st.WorkspaceID, At: at, Day: day,
		Stale: enabled(st, pipeline.JobStale), Close: enabled(st, pipeline.JobClosePassed)})
	if err != nil || len(due.People) == 0 {
		return nil, err
	}
	var msgs []outbox.Message
	for _, p := range due.People {
		if !p.Active {
			continue // deactivated: their deals are marked, nothing is sent
		}
		rc := newRecipient(p.Recipient, st)
		a := p.AlertItems
		if !rc.want(pipeline.NotifyStale) {
			a.Stale = nil
		}
		if !rc.want(pipeline.NotifyClose) {
			a.Close = nil
		}
		if !rc.want(pipeline.NotifyEscalation) {
			a.Escalated = nil
		}
		if m, ok := alertsMessage(st.WorkspaceID, p.ID, day, a, rc, at); ok {
			msgs = append(msgs, m)
		}
	}
	return func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error {
		if err := s.sales.MarkAlerted(ctx, tx, st.WorkspaceID, day, due); err != nil {
			return err
		}
		return enqueueAll(ctx, tx, out, msgs)
	}, nil
}

// alertsMessage is one person's morning DM; ok is false when nothing is left
// to say after their choices.
func alertsMessage(team, person, day string, a sales.AlertItems, rc recipient, at time.Time) (outbox.Message, bool) {
	text, blocks, ok := render.MorningAlerts(a, at)
	if !ok {
		return outbox.Message{}, false
	}
	return outbox.Message{TeamID: team, Channel: person, Kind: "alerts", Text: text, Blocks: blocks,
		Key: "alerts:" + person + ":" + day, NotBefore: rc.workingNotBefore(at)}, true
}
