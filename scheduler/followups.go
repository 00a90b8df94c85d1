package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// dueBatch bounds the reminders one run sends; the next minute's run takes
// the rest.
const dueBatch = 500

// followUps reminds each owner of their follow-ups due by at, in one DM
// per owner, with Done and Snooze buttons. A reminder falling outside the
// owner's working hours (their own timezone) or in their quiet hours is held
// until they may get it; one they turned off is marked reminded without a
// message.
func (s *Scheduler) followUps(ctx context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	due, err := s.sales.DueFollowUps(ctx, st.WorkspaceID, at, dueBatch)
	if err != nil || len(due.IDs) == 0 {
		return nil, err
	}
	return func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error {
		marked, err := s.sales.MarkReminded(ctx, tx, st.WorkspaceID, due.IDs, at)
		if err != nil {
			return err
		}
		var msgs []outbox.Message
		for _, owner := range due.Owners {
			if !owner.Active {
				continue // deactivated: marked, never sent
			}
			rc := newRecipient(owner.Recipient, st)
			var send []sales.FollowUpDue
			for _, f := range owner.FollowUps {
				kind, job := pipeline.NotifyFollowUps, pipeline.JobFollowUps
				if f.Kind == "checkin" {
					kind, job = pipeline.NotifyCheckins, pipeline.JobCheckins
				}
				if marked[f.ID] && rc.want(kind) && switchedOn(st, job) {
					send = append(send, f)
				}
			}
			for i := 0; i < len(send); i += render.MaxReminderItems {
				part := send[i:min(i+render.MaxReminderItems, len(send))]
				msgs = append(msgs, followUpMessage(st.WorkspaceID, owner.ID, part, rc, at))
			}
		}
		return enqueueAll(ctx, tx, out, msgs)
	}, nil
}

func followUpMessage(team, owner string, fs []sales.FollowUpDue, rc recipient, at time.Time) outbox.Message {
	text, blocks := render.FollowUpReminder(fs, rc.loc)
	return outbox.Message{
		TeamID: team, Channel: owner, Kind: "followup_reminder", Text: text, Blocks: blocks,
		// One reminder per follow-up and reminder time, however often it is tried.
		Key:       fmt.Sprintf("followup:%d:%d", fs[0].ID, fs[0].FollowUp.DueAt.Unix()) + snoozeKey(fs[0]),
		NotBefore: rc.workingNotBefore(at),
	}
}

func snoozeKey(f sales.FollowUpDue) string {
	if f.SnoozedUntil == nil {
		return ""
	}
	return fmt.Sprintf(":%d", f.SnoozedUntil.Unix())
}
