// Package notices turns the notices the use cases queue (package sales)
// into the outbox's messages: the words from render, the recipient, the
// kind and the key that keeps a message from being sent twice.
package notices

import (
	"fmt"
	"salesbot/outbox"
	"salesbot/render"
	"salesbot/sales"
)

// Message renders a use case's notice as the message Slack shows, with
// whom it goes to and the key that keeps it from being sent twice (see
// salesdb.OutboxOf, which queues it in the change's transaction).
func Message(n sales.Notice) (outbox.Message, error) {
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
	case sales.DuplicateLead:
		r = render.DuplicateLeadNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Deal.OwnerID, Kind: "lead_duplicate"}
	case sales.LeadRerouted:
		r = render.Rerouted(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Manager, Kind: "handoff_rerouted"}
	case sales.OfferLapsed:
		r = render.OfferLapsedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Rep, Kind: "offer_lapsed"}
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
	case sales.CelebrationHint:
		r = render.CelebrationHint(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "celebration_hint",
			Key: fmt.Sprintf("celebration-hint:%s:%s", n.Deal.WorkspaceID, n.To)}
	case sales.WebhookDisabled:
		w := n.Webhook
		r = render.WebhookDisabledNotice(n)
		m = outbox.Message{TeamID: w.Team, Channel: n.To, Kind: "webhook_disabled",
			Key: fmt.Sprintf("webhook-disabled:%s:%d:%d:%s", w.Team, w.ID, w.DisabledAt.Unix(), n.To)}
	case sales.ApprovalRequested:
		r = render.ApprovalRequestedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "approval_requested",
			Key: fmt.Sprintf("approval-requested:%s:%d:%s", n.Deal.WorkspaceID, n.Approval.ID, n.To)}
	case sales.ApprovalDecided:
		r = render.ApprovalDecidedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "approval_decided",
			Key: fmt.Sprintf("approval-decided:%s:%d", n.Deal.WorkspaceID, n.Approval.ID)}
	case sales.ApprovalInvalidated:
		r = render.ApprovalInvalidatedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "approval_invalidated",
			Key: fmt.Sprintf("approval-invalidated:%s:%d:%s", n.Deal.WorkspaceID, n.Approval.ID, n.To)}
	case sales.ApprovalReminder:
		r = render.ApprovalReminderNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "approval_reminder",
			Key: fmt.Sprintf("approval-reminder:%s:%d:%s", n.Deal.WorkspaceID, n.Approval.ID, n.To)}
	case sales.RoomMoved:
		r = render.RoomMovedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Room.ChannelID, Kind: "room_move",
			Key: fmt.Sprintf("room-move:%s:%d:%d", n.Deal.WorkspaceID, n.Deal.ID, n.Entry)}
	case sales.RoomEdited:
		r = render.RoomEditedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Room.ChannelID, Kind: "room_edit",
			Key: fmt.Sprintf("room-edit:%s:%d:%d", n.Deal.WorkspaceID, n.Deal.ID, n.Entry)}
	case sales.RoomOwnerChanged:
		r = render.RoomOwnerChangedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Room.ChannelID, Kind: "room_owner",
			Key: fmt.Sprintf("room-owner:%s:%d:%d", n.Deal.WorkspaceID, n.Deal.ID, n.Entry)}
	case sales.RoomActivity:
		r = render.RoomActivityNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Room.ChannelID, Kind: "room_activity",
			Key: fmt.Sprintf("room-activity:%s:%d", n.Deal.WorkspaceID, n.Activity.ID)}
	case sales.RoomFollowUp:
		step := "added"
		if n.Done {
			step = "done"
		}
		r = render.RoomFollowUpNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Room.ChannelID, Kind: "room_followup",
			Key: fmt.Sprintf("room-followup:%s:%d:%s", n.Deal.WorkspaceID, n.FollowUp.ID, step)}
	case sales.RoomApproval:
		r = render.RoomApprovalNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Room.ChannelID, Kind: "room_approval",
			Key: fmt.Sprintf("room-approval:%s:%d:%s", n.Deal.WorkspaceID, n.Approval.ID, n.Approval.State)}
	case sales.RoomClosed:
		r = render.RoomClosedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.Room.ChannelID, Kind: "room_close",
			Key: fmt.Sprintf("room-close:%s:%d:%d", n.Deal.WorkspaceID, n.Deal.ID, n.Entry)}
	case sales.RoomOpened:
		r = render.RoomOpenedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "room_opened",
			Key: fmt.Sprintf("room-opened:%s:%d:%s", n.Deal.WorkspaceID, n.Deal.ID, n.Room.ChannelID)}
	case sales.RoomInviteRefused:
		r = render.RoomInviteRefusedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "room_invite_refused",
			Key: fmt.Sprintf("room-invite-refused:%s:%d:%s", n.Deal.WorkspaceID, n.Deal.ID, n.User)}
	case sales.RoomRefused:
		r = render.RoomRefusedNotice(n)
		m = outbox.Message{TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "room_refused",
			Key: fmt.Sprintf("room-refused:%s:%d:%d", n.Deal.WorkspaceID, n.Deal.ID, n.At.UnixNano())}
	default:
		return outbox.Message{}, fmt.Errorf("no message for notice %T", n)
	}
	m.Text = r.Text
	if len(r.Blocks) > 0 {
		m.Blocks = render.MustJSON(r.Blocks)
	}
	return m, nil
}
