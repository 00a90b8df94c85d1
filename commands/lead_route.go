package commands

import (
	"context"
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// NoticeMessage renders a use case's notice as the message Slack shows
// (see sales.OutboxOf, which queues it in the change's transaction).
func NoticeMessage(n sales.Notice) (outbox.Message, error) {
	switch n := n.(type) {
	case sales.LeadRouted:
		return routedOffer(n.Deal, n.Reason), nil
	case sales.LeadHandedOver:
		return handoffOffer(n.Deal, n.From), nil
	case sales.HandoffAnswered:
		return handoffAnswer(n), nil
	case sales.LeadRerouted:
		return reroutedNotice(n), nil
	case sales.DealWon:
		return wonAnnouncement(n.Deal, n.Channel, n.At), nil
	case sales.BigDealMoved:
		return bigDealAlert(n), nil
	}
	return outbox.Message{}, fmt.Errorf("no message for notice %T", n)
}

// UserInfo is the Slack call the sales directory needs.
type UserInfo interface {
	GetUserInfoContext(ctx context.Context, user string, options ...slack.GetUserInfoOption) (*slack.User, error)
}

// slackDirectory answers the use cases' "is this person active" with users.info.
type slackDirectory struct{ users UserInfo }

// SalesDirectory is the directory the use cases ask who is active; nil
// users gives nil (everyone taken as active).
func SalesDirectory(users UserInfo) sales.Directory {
	if users == nil {
		return nil
	}
	return slackDirectory{users}
}

func (d slackDirectory) Active(ctx context.Context, userID string) (bool, error) {
	u, err := d.users.GetUserInfoContext(ctx, userID)
	if err != nil {
		return false, err
	}
	return !u.Deleted, nil
}

// routedOffer is the DM that offers a routed lead to its rep.
func routedOffer(d pipeline.Deal, reason string) outbox.Message {
	n := strconv.FormatInt(d.Number, 10)
	accept := slack.NewButtonBlockElement(actAccept, n, render.Plain("Accept"))
	accept.Style = slack.StylePrimary
	reject := slack.NewButtonBlockElement(actReject, n, render.Plain("Reject"))
	reject.Style = slack.StyleDanger
	blocks := append([]slack.Block{
		slack.NewSectionBlock(render.Mrkdwn(fmt.Sprintf(":inbox_tray: New lead *%s* routed to you (%s). Will you take it?", d.Ref(), render.Escape(reason))), nil, nil),
	}, dealCard(card{deal: d})...)
	blocks = append(blocks, slack.NewActionBlock("handoff:"+n, accept, reject))
	return outbox.Message{
		TeamID: d.WorkspaceID, Channel: d.OwnerID, Kind: "lead_routed",
		Text:   fmt.Sprintf("New lead %s (%s) routed to you. Accept or reject it.", d.Ref(), render.Escape(d.AccountName)),
		Blocks: render.MustJSON(blocks),
	}
}
