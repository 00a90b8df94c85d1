package scheduler

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/slack-go/slack"

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
	due, err := s.store.DueFollowUps(ctx, st.WorkspaceID, at, dueBatch)
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
	people, err := s.store.Recipients(ctx, st.WorkspaceID, order)
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
				if marked[f.ID] && rc.want(kind) && enabled(st, job) {
					send = append(send, f)
				}
			}
			for i := 0; i < len(send); i += maxItems {
				part := send[i:min(i+maxItems, len(send))]
				msgs = append(msgs, followUpMessage(st.WorkspaceID, owner, part, rc, at))
			}
		}
		return enqueueAll(ctx, tx, out, msgs)
	}, nil
}

func followUpMessage(team, owner string, fs []store.DueFollowUp, rc recipient, at time.Time) outbox.Message {
	headline := "A follow-up is due"
	if len(fs) > 1 {
		headline = fmt.Sprintf("%d follow-ups are due", len(fs))
	}
	blocks := []slack.Block{slack.NewSectionBlock(mrkdwn(":alarm_clock: *"+headline+"*"), nil, nil)}
	for _, f := range fs {
		what := "Follow-up"
		if f.Kind == "checkin" {
			what = "Post-sale check-in"
		}
		line := fmt.Sprintf("*%s* %s", pipeline.FormatRef(f.DealNumber), escape(f.AccountName))
		if f.DealTitle != "" && f.DealTitle != f.AccountName {
			line += " — " + escape(f.DealTitle)
		}
		line += fmt.Sprintf("\n%s due %s", what, f.DueAt.In(rc.loc).Format("Mon Jan 2, 15:04"))
		if f.Note != "" {
			line += "\n> " + escape(f.Note)
		}
		id := fmt.Sprint(f.ID)
		blocks = append(blocks,
			slack.NewSectionBlock(mrkdwn(line), nil, nil),
			slack.NewActionBlock("followup:"+id,
				button(commands.ActionFollowUpDone, id, "Done"),
				button(commands.ActionFollowUpSnooze, id, "Snooze")))
	}
	return outbox.Message{
		TeamID: team, Channel: owner, Kind: "followup_reminder",
		Text:   headline + ": " + pipeline.FormatRef(fs[0].DealNumber),
		Blocks: blocksJSON(blocks),
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
