package commands

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// salesbotMentions handles "/salesbot mentions on|off" (admins) and
// "/salesbot mentions" (whether they are on), in the channel it is typed in.
func (a *App) salesbotMentions(ctx context.Context, in SlashInput) Reply {
	if strings.HasPrefix(in.ChannelID, "D") || in.ChannelID == "" {
		return Reply{Ack: ephemeral(render.MentionsNotInChannel)}
	}
	if len(in.Args) == 0 {
		return a.later(in, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
			cs, err := a.sales.ChannelSettings(ctx, actor.WorkspaceID, in.ChannelID)
			if err != nil {
				return message{}, err
			}
			return ephemeral(render.MentionsStatus(cs, a.userLocation(ctx, actor))), nil
		})
	}
	word := strings.ToLower(in.Args[0])
	if len(in.Args) != 1 || (word != "on" && word != "off") {
		return Reply{Ack: ephemeral(":warning: " + render.MentionsUsage)}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		cs, err := a.sales.SetMentions(ctx, sales.SetMentions{Team: actor.WorkspaceID, Actor: actor, Channel: in.ChannelID,
			On: word == "on", IdempotencyKey: in.key()})
		if err != nil {
			return message{}, err
		}
		return ephemeral(render.MentionsTurned(cs.Mentions, cs.Mentions && !a.botIn(ctx, in.ChannelID))), nil
	})
}

// botIn reports whether salesbot is a member of channel; when Slack does
// not say (in time, or for another reason than the channel being out of
// its sight), it assumes so rather than warn wrongly.
func (a *App) botIn(ctx context.Context, channel string) bool {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	info, err := a.slack.GetConversationInfoContext(ctx, &slack.GetConversationInfoInput{ChannelID: channel})
	var refused slack.SlackErrorResponse
	if errors.As(err, &refused) && (refused.Err == "channel_not_found" || refused.Err == "not_in_channel") {
		return false // a private channel hides itself from a bot that is not in it
	}
	return err != nil || info.IsMember
}

// mentionEvent answers a person's channel message that names deals (D-42)
// with an ephemeral card of each they may see, where an admin turned
// mentions on, one per deal so that each can be shared and then replaced
// by itself. Only new messages of people count: edits, deletions, joins
// (any subtype) and every bot's messages, salesbot's own included, are
// left alone, and so are people of another organisation in a shared channel.
func (a *App) mentionEvent(ev slackevents.EventsAPIEvent) Reply {
	msg, ok := ev.InnerEvent.Data.(*slackevents.MessageEvent)
	switch {
	case !ok, msg.SubType != "", msg.BotID != "", msg.User == "", msg.TimeStamp == "",
		msg.ChannelType != "channel" && msg.ChannelType != "group",
		msg.UserTeam != "" && msg.UserTeam != ev.TeamID:
		return Reply{}
	}
	numbers := pipeline.MentionedRefs(msg.Text)
	if len(numbers) == 0 {
		return Reply{}
	}
	team := ev.TeamID
	// Transient: a card answering a message is worth showing now or not at
	// all, and so people's messages are never written to the journal.
	return Reply{Transient: true, Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
		defer cancel()
		cs, err := a.sales.ChannelSettings(dbctx, team, msg.Channel)
		if err != nil || !cs.Mentions {
			return err
		}
		actor, _, err := a.sales.Actor(dbctx, team, msg.User)
		if err != nil {
			return err
		}
		deals, err := a.sales.MentionedDeals(dbctx, actor, numbers)
		if err != nil || len(deals) == 0 {
			return err // nothing to show: not a word, so as not to tell a deal exists
		}
		stages, err := a.sales.Stages(dbctx, team)
		if err != nil {
			return err
		}
		for _, d := range deals {
			m := render.MentionCardIn(d, stages, msg.TimeStamp, msg.ThreadTimeStamp)
			// One answer per deal and message, however often Slack delivers it.
			err = a.sales.Once(dbctx, team, "mention:"+msg.Channel+":"+msg.TimeStamp+":"+d.Ref(), func() error {
				opts := []slack.MsgOption{slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...)}
				if msg.ThreadTimeStamp != "" {
					opts = append(opts, slack.MsgOptionTS(msg.ThreadTimeStamp))
				}
				_, err := a.slack.PostEphemeralContext(ctx, msg.Channel, msg.User, opts...)
				return err
			})
			if err != nil && !errors.Is(err, sales.ErrDuplicate) {
				return err
			}
		}
		return nil
	}}
}

// mentionAction handles a mention card's "Share in channel": the deal's
// line is posted in the channel for everyone, once per card however often
// it is clicked, if the clicker may still see the deal; their card then
// says it was shared. ok is false for other actions.
func (a *App) mentionAction(cb slack.InteractionCallback) (Reply, bool) {
	if len(cb.ActionCallback.BlockActions) == 0 || cb.ActionCallback.BlockActions[0].ActionID != render.ActMentionShare {
		return Reply{}, false
	}
	n, messageTS, threadTS, ok := render.ParseShareThreadValue(cb.ActionCallback.BlockActions[0].Value)
	channel := cb.Channel.ID
	if channel == "" {
		channel = cb.Container.ChannelID
	}
	if !ok || channel == "" {
		a.log.Warn("share button without a deal or channel", "team", cb.Team.ID)
		return Reply{}, true
	}
	return a.afterAck(cb.Team.ID, cb.User.ID, func(ctx context.Context, m message) error {
		m.ResponseType = slack.ResponseTypeEphemeral
		return a.tell(ctx, cb.ResponseURL, cb.User.ID, m)
	}, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		d, err := a.sales.Deal(ctx, actor, n)
		if err != nil {
			return message{}, err
		}
		stages, err := a.sales.Stages(ctx, actor.WorkspaceID)
		if err != nil {
			return message{}, err
		}
		shared := render.SharedCard(d, stages, actor.ID)
		key := "share:" + channel + ":" + messageTS + ":" + d.Ref()
		if err := a.sales.Once(ctx, actor.WorkspaceID, key, func() error {
			opts := []slack.MsgOption{slack.MsgOptionText(shared.Text, false), slack.MsgOptionBlocks(shared.Blocks...)}
			if threadTS != "" { // where the mention was made
				opts = append(opts, slack.MsgOptionTS(threadTS))
			}
			_, _, err := a.slack.PostMessageContext(ctx, channel, opts...)
			return err
		}); err != nil {
			var refused slack.SlackErrorResponse
			if errors.As(err, &refused) {
				return message{}, badInput(render.ShareRefused(refused.Err))
			}
			return message{}, err
		}
		return message{ReplaceOriginal: true, Text: render.MentionShared(d)}, nil
	}), true
}
