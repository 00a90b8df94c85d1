package commands

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

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

// route picks and records the rep for a lead (see sales.Service.Route).
func (a *App) route(ctx context.Context, tx *sqlx.Tx, teamID string, in pipeline.RouteInput) (pipeline.Choice, error) {
	return a.sales.Route(ctx, tx, teamID, in)
}

// salesOutbox renders the notices of the use cases into messages and queues
// them in the caller's transaction.
type salesOutbox struct{ ob Outbox }

// SalesOutbox is the outbox the use cases queue their notices to: it renders
// each as Slack would show it and enqueues it on ob.
func SalesOutbox(ob Outbox) sales.Outbox { return salesOutbox{ob} }

func (o salesOutbox) Enqueue(ctx context.Context, tx *sql.Tx, n sales.Notice) error {
	var m outbox.Message
	switch n := n.(type) {
	case sales.LeadRouted:
		m = routedOffer(n.Deal, n.Reason)
	case sales.LeadHandedOver:
		m = handoffOffer(n.Deal, n.From)
	case sales.HandoffAnswered:
		m = handoffAnswer(n)
	case sales.LeadRerouted:
		m = reroutedNotice(n)
	case sales.DealWon:
		m = wonAnnouncement(n.Deal, n.Channel, n.At)
	case sales.BigDealMoved:
		m = bigDealAlert(n)
	default:
		return fmt.Errorf("no message for notice %T", n)
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
