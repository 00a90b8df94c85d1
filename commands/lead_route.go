package commands

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/slack-go/slack"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// ErrNoRep is returned by RouteLead when no rep can take the lead: everyone
// is away, deactivated, at capacity or has declined it.
var ErrNoRep = sales.ErrNoRep

// RouteLead chooses the owner of a lead that has none, inside tx (see
// sales.Service.RouteLead). Call it before CreateLeadTx in the same tx (both
// take the workspace's routing lock).
func (a *App) RouteLead(ctx context.Context, tx *sqlx.Tx, lead pipeline.NewLead) (ownerID string, err error) {
	return a.sales.RouteLead(ctx, tx, lead)
}

// salesOutbox renders the notices of the use cases into messages and queues
// them in the caller's transaction.
type salesOutbox struct{ ob Outbox }

// SalesOutbox is the outbox the use cases queue their notices to: it renders
// each as Slack would show it and enqueues it on ob.
func SalesOutbox(ob Outbox) sales.Outbox { return salesOutbox{ob} }

func (o salesOutbox) Enqueue(ctx context.Context, tx *sql.Tx, n sales.Notice) error {
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
		return fmt.Errorf("no message for notice %T", n)
	}
	m.Text = r.Text
	if len(r.Blocks) > 0 {
		m.Blocks = render.MustJSON(r.Blocks)
	}
	return o.ob.Enqueue(ctx, tx, m)
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
