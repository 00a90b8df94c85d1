package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/commands"
	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/store"
)

// dueBatch bounds the reminders one run sends; the next minute's run takes
// the rest.
const dueBatch = 500

// followUps reminds each owner of their follow-ups due by at, in one DM
// per owner, with Done and Snooze buttons. A reminder falling in the
// owner's quiet hours is held until they end; one they turned off is
// marked reminded without a message.
func (s *Scheduler) followUps(ctx context.Context, st pipeline.Settings, at time.Time) (plan, error) {
	due, err := s.store.DueFollowUps(ctx, s.store.DB(), st.WorkspaceID, at, dueBatch)
	if err != nil || len(due) == 0 {
		return nil, err
	}
	owners := map[string][]store.DueFollowUp{}
	var order []string
	for _, f := range due {
		if _, ok := owners[f.OwnerID]; !ok {
			order = append(order, f.OwnerID)
		}
		owners[f.OwnerID] = append(owners[f.OwnerID], f)
	}
	people, err := s.store.Recipients(ctx, s.store.DB(), st.WorkspaceID, order)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(due))
	for i, f := range due {
		ids[i] = f.ID
	}
	return func(ctx context.Context, tx *sqlx.Tx, out *outbox.Outbox) error {
		marked, err := s.store.MarkReminded(ctx, tx, st.WorkspaceID, ids, at)
		if err != nil {
			return err
		}
		var msgs []outbox.Message
		for _, owner := range order {
			person, active := people[owner]
			if !active {
				continue // deactivated: marked, never sent
			}
			rc := newRecipient(person, st)
			var send []store.DueFollowUp
			for _, f := range owners[owner] {
				kind, job := pipeline.NotifyFollowUps, pipeline.JobFollowUps
				if f.Kind == "checkin" {
					kind, job = pipeline.NotifyCheckins, pipeline.JobCheckins
				}
				if marked[f.ID] && rc.want(kind) && switchedOn(st, job) {
					send = append(send, f)
				}
			}
			for i := 0; i < len(send); i += commands.MaxReminderItems {
				part := send[i:min(i+commands.MaxReminderItems, len(send))]
				msgs = append(msgs, followUpMessage(st.WorkspaceID, owner, part, rc, at))
			}
		}
		return enqueueAll(ctx, tx, out, msgs)
	}, nil
}

func followUpMessage(team, owner string, fs []store.DueFollowUp, rc recipient, at time.Time) outbox.Message {
	text, blocks := commands.FollowUpReminder(fs, rc.loc)
	return outbox.Message{
		TeamID: team, Channel: owner, Kind: "followup_reminder", Text: text, Blocks: blocks,
		// One reminder per follow-up and reminder time, however often it is tried.
		Key:       fmt.Sprintf("followup:%d:%d", fs[0].ID, fs[0].FollowUp.DueAt.Unix()) + snoozeKey(fs[0]),
		NotBefore: rc.notBefore(at),
	}
}

func snoozeKey(f store.DueFollowUp) string {
	if f.SnoozedUntil == nil {
		return ""
	}
	return fmt.Sprintf(":%d", f.SnoozedUntil.Unix())
}
