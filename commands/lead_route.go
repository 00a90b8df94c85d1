package commands

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"salesbot/outbox"
	"salesbot/render"
	"salesbot/sales"
)

// NoticeMessage renders a use case's notice as the message Slack shows
// (see sales.OutboxOf, which queues it in the change's transaction).
func NoticeMessage(n sales.Notice) (outbox.Message, error) {
	var r render.Message
	var m outbox.Message
	switch n := n.(type) {
	case sales.LeadRouted:
		r = render.RoutedOffer(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Deal.OwnerID, Kind: "lead_routed"}
	case sales.LeadHandedOver:
		r = render.HandoffOffer(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Deal.OwnerID, Kind: "handoff_offer"}
	case sales.HandoffAnswered:
		r = render.HandoffAnswer(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "handoff_answer"}
	case sales.LeadRerouted:
		r = render.Rerouted(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Manager, Kind: "handoff_rerouted"}
	case sales.DealWon:
		d := n.Deal
		r = render.WonAnnouncement(n)
		m = outbox.Message{TeamID: d.WorkspaceID, Channel: n.Channel, Kind: "won_announcement",
			Key: fmt.Sprintf("won:%s:%d:%d", d.WorkspaceID, d.ID, d.ClosedAt.Unix())}
	case sales.BigDealMoved:
		d, c := n.Deal, n.Change
		r = render.BigDealAlert(n)
		m = outbox.Message{TeamID: d.WorkspaceID, Channel: n.Channel, Kind: "big_deal_alert",
			Key: fmt.Sprintf("bigdeal:%d:%s:%s:%d", d.ID, c.From, c.To, d.UpdatedAt.UnixNano())}
	default:
		return outbox.Message{}, fmt.Errorf("no message for notice %T", n)
	}
	m.Text = r.Text
	if len(r.Blocks) > 0 {
		m.Blocks = render.MustJSON(r.Blocks)
	}
	return m, nil
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
