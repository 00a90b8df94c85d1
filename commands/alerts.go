package commands

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/slack-go/slack"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/sales"
)

// staleSnooze is how long "Snooze 7 days" on a stale-deal alert quiets the deal.
const staleSnooze = 7 * 24 * time.Hour

// alertButton answers the buttons of the scheduler's reminders and alerts:
// Done and Snooze on a follow-up (id is the follow-up's), Snooze 7 days on
// a stale deal (id is its number). What they change is what later runs of
// the scheduler read, so the answer says so. The click's key is claimed
// before anything is read, so a redelivery neither changes anything again
// nor answers differently ("already done") the second time.
func (a *App) alertButton(cb slack.InteractionCallback, action string, id int64) Reply {
	key := actionKey(cb)
	return a.buttonReply(cb, func(ctx context.Context, actor pipeline.User) (m message, err error) {
		loc := a.userLocation(ctx, actor) // before the transaction: it may ask Slack
		err = a.once(ctx, actor.WorkspaceID, key, func(tx *sqlx.Tx) error {
			var err error
			switch action {
			case ActionFollowUpDone, ActionFollowUpSnooze:
				m, err = a.followUpButton(ctx, tx, actor, action, id, loc)
			case ActionDealSnooze:
				m, err = a.dealSnooze(ctx, tx, actor, id, loc)
			default:
				err = fmt.Errorf("unknown alert action %q", action)
			}
			return err
		})
		return m, err
	})
}

func (a *App) dealSnooze(ctx context.Context, tx *sqlx.Tx, actor pipeline.User, n int64, loc *time.Location) (message, error) {
	d, err := a.dealFor(ctx, actor, n)
	if err != nil {
		return message{}, err
	}
	until := a.now().Add(staleSnooze)
	if err := a.store.SnoozeDealTx(ctx, tx, actor.WorkspaceID, d.Number, until, actor.ID); err != nil {
		return message{}, err
	}
	return ephemeral(fmt.Sprintf(":zzz: No stale alerts about %s until %s.", d.Ref(), until.In(loc).Format("Mon Jan 2"))), nil
}

func (a *App) followUpButton(ctx context.Context, tx *sqlx.Tx, actor pipeline.User, action string, id int64, loc *time.Location) (message, error) {
	f, err := a.store.FollowUp(ctx, actor.WorkspaceID, id)
	if isNotFound(err) {
		return message{}, badInput("That follow-up no longer exists in this workspace.")
	}
	if err != nil {
		return message{}, err
	}
	if actor.ID != f.OwnerID {
		if _, err := a.dealFor(ctx, actor, f.DealNumber); err != nil {
			return message{}, err
		}
	}
	ref := pipeline.FormatRef(f.DealNumber)
	if f.DoneAt != nil {
		return ephemeral(fmt.Sprintf(":white_check_mark: The follow-up on %s is already done.", ref)), nil
	}
	if action == ActionFollowUpDone {
		if _, err := a.store.CompleteFollowUpTx(ctx, tx, actor.WorkspaceID, id, actor.ID); err != nil {
			return message{}, err
		}
		return ephemeral(fmt.Sprintf(":white_check_mark: Follow-up on %s done.", ref)), nil
	}
	st, err := a.store.Settings(ctx, actor.WorkspaceID)
	if err != nil {
		return message{}, err
	}
	until := a.now().Add(time.Duration(max(st.FollowupSnoozeMins, 1)) * time.Minute).Truncate(time.Minute)
	if _, err := a.store.SnoozeFollowUpTx(ctx, tx, actor.WorkspaceID, id, until, actor.ID); err != nil {
		return message{}, err
	}
	return ephemeral(fmt.Sprintf(":zzz: I'll remind you about %s again %s.", ref, until.In(loc).Format("Mon Jan 2 at 15:04"))), nil
}

// bigDealAlert is the alerts-channel post for a stage move of a deal worth
// at least the workspace's big-deal threshold.
func bigDealAlert(n sales.BigDealMoved) outbox.Message {
	d, c := n.Deal, n.Change
	move := escape(fmt.Sprintf("%s → %s", n.From, n.To))
	text := fmt.Sprintf("Big deal moved: %s %s (%s), %s", d.Ref(), escape(d.AccountName), valueText(d), move)
	blocks := []slack.Block{
		slack.NewSectionBlock(mrkdwn(fmt.Sprintf(":moneybag: *Big deal moved* by %s\n*%s* %s · %s\n%s",
			userMention(n.By), d.Ref(), escape(d.AccountName), valueText(d), move)), nil, nil),
		slack.NewActionBlock("bigdeal:"+fmt.Sprint(d.Number),
			slack.NewButtonBlockElement(actOpen, fmt.Sprint(d.Number), plain("Open "+d.Ref()))),
	}
	return outbox.Message{TeamID: d.WorkspaceID, Channel: n.Channel, Text: text,
		Blocks: mustJSON(blocks), Kind: "big_deal_alert",
		Key: fmt.Sprintf("bigdeal:%d:%s:%s:%d", d.ID, c.From, c.To, d.UpdatedAt.UnixNano())}
}

// Action IDs of the buttons on the scheduler's reminders and alerts; their
// value is a follow-up ID or a deal number. The other alert buttons reuse
// the deal card's own, which open the same modals.
const (
	ActionFollowUpDone   = "followup_done"
	ActionFollowUpSnooze = "followup_snooze"
	ActionDealSnooze     = "deal_snooze"
)
