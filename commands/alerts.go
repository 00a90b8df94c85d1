package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// alertButton answers the buttons of the scheduler's reminders and alerts:
// Done and Snooze on a follow-up (id is the follow-up's), Snooze 7 days on
// a stale deal (id is its number), through the use cases
// (salesdb.Service.CompleteFollowUp, SnoozeFollowUp, SnoozeDeal). What they
// change is what later runs of the scheduler read, so the answer says so.
// The click's key is claimed before anything is read, so a redelivery
// neither changes anything again nor answers differently ("already done")
// the second time.
func (a *App) alertButton(cb slack.InteractionCallback, action string, id int64) Reply {
	key := actionKey(cb)
	return a.buttonReply(cb, func(ctx context.Context, actor pipeline.User) (message, error) {
		loc := a.userLocation(ctx, actor) // before the transaction: it may ask Slack
		switch action {
		case render.ActionFollowUpDone, render.ActionFollowUpSnooze:
			return a.followUpButton(ctx, actor, action, id, key, loc)
		case render.ActionDealSnooze:
			res, err := a.sales.SnoozeDeal(ctx, sales.SnoozeDeal{Team: actor.WorkspaceID, Actor: actor, Number: id, IdempotencyKey: key})
			if err != nil {
				return message{}, err
			}
			return ephemeral(render.DealSnoozed(res, loc)), nil
		}
		return message{}, fmt.Errorf("unknown alert action %q", action)
	})
}

func (a *App) followUpButton(ctx context.Context, actor pipeline.User, action string, id int64, key string, loc *time.Location) (message, error) {
	in := sales.AnswerFollowUp{Team: actor.WorkspaceID, Actor: actor, FollowUpID: id, IdempotencyKey: key}
	answer := a.sales.SnoozeFollowUp
	if action == render.ActionFollowUpDone {
		answer = a.sales.CompleteFollowUp
	}
	res, err := answer(ctx, in)
	if err != nil {
		return message{}, err // a follow-up gone since: render.ErrorText says so
	}
	return ephemeral(render.FollowUpAnswered(res, action == render.ActionFollowUpDone, loc)), nil
}
