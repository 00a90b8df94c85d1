package commands

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// approvalButton handles Approve (decides at once, redrawing the request
// without its buttons) and Reject (opens the form that asks why).
func (a *App) approvalButton(cb slack.InteractionCallback, id int64, approve bool) Reply {
	if !approve {
		// The request message, to redraw without its buttons once rejected.
		meta := rejectMeta{ID: id, Channel: cb.Container.ChannelID, TS: cb.Container.MessageTs}
		if meta.Channel == "" {
			meta.Channel = cb.Channel.ID
		}
		if meta.TS == "" {
			meta.TS = cb.Message.Timestamp
		}
		b, _ := json.Marshal(meta)
		return Reply{Later: func(ctx context.Context) error {
			return a.openModal(ctx, cb.TriggerID, render.ApprovalRejectModal(string(b)),
				modalOpen{Form: render.FormApprovalReject, responseURL: cb.ResponseURL, user: cb.User.ID})
		}}
	}
	deliver := func(ctx context.Context, m message) error { return a.tell(ctx, cb.ResponseURL, cb.User.ID, m) }
	return a.afterAck(cb.Team.ID, cb.User.ID, deliver, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		res, err := a.sales.DecideApproval(ctx, sales.DecideApproval{Team: actor.WorkspaceID, Actor: actor, ApprovalID: id,
			Approve: true, IdempotencyKey: actionKey(cb)})
		if err != nil {
			return message{}, err
		}
		text := render.ApprovalDecidedAnswer(res)
		return message{Text: text, ReplaceOriginal: true, Blocks: render.Answered(text)}, nil
	})
}

// approvalRejectSubmit rejects the request the Reject form is about, with
// its reason, once per view (a redelivery changes nothing), and tells the
// approver by DM.
func (a *App) approvalRejectSubmit(cb slack.InteractionCallback) Reply {
	meta, ok := parseRejectMeta(cb.View.PrivateMetadata)
	if !ok {
		a.log.Warn("reject form without an approval", "team", cb.Team.ID)
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{
			render.InDecisionReason: render.LostTrack(render.FormApprovalReject, "the request")})}
	}
	id := meta.ID
	reason := strings.TrimSpace(stateValue(cb.View.State, render.InDecisionReason).Value)
	switch n := utf8.RuneCountInString(reason); {
	case reason == "":
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InDecisionReason: render.RejectNeedsReason})}
	case n > pipeline.MaxReasonLen:
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InDecisionReason: render.TooLong("reason", n, pipeline.MaxReasonLen)})}
	}
	rejected := false
	deliver := func(ctx context.Context, m message) error {
		// Rejected: the request message itself says so, its buttons gone,
		// as after Approve; told by DM when it cannot be redrawn (or on an error).
		if rejected && meta.Channel != "" && meta.TS != "" {
			_, _, _, err := a.slack.UpdateMessageContext(ctx, meta.Channel, meta.TS, slack.MsgOptionText(m.Text, false), slack.MsgOptionBlocks(m.Blocks...))
			if err == nil {
				return nil
			}
			a.log.Warn("reject: the request message was not redrawn", "team", cb.Team.ID, "error", err)
		}
		return a.tell(ctx, "", cb.User.ID, m)
	}
	return a.afterAck(cb.Team.ID, cb.User.ID, deliver, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		res, err := a.sales.DecideApproval(ctx, sales.DecideApproval{Team: actor.WorkspaceID, Actor: actor, ApprovalID: id,
			Reason: reason, IdempotencyKey: "view:" + cb.View.ID})
		if err != nil {
			return message{}, err
		}
		rejected = true
		text := render.ApprovalDecidedAnswer(res)
		return message{Text: text, Blocks: render.Answered(text)}, nil
	})
}

// rejectMeta travels in the Reject form's private_metadata: the request,
// and the message that showed it (channel and ts, never a response_url).
type rejectMeta struct {
	ID      int64  `json:"id"`
	Channel string `json:"ch,omitempty"`
	TS      string `json:"ts,omitempty"`
}

// parseRejectMeta reads rejectMeta, or the bare request ID of a form
// opened before it carried the message.
func parseRejectMeta(s string) (rejectMeta, bool) {
	if id, err := strconv.ParseInt(s, 10, 64); err == nil {
		return rejectMeta{ID: id}, id > 0
	}
	var m rejectMeta
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		return rejectMeta{}, false
	}
	return m, m.ID > 0
}
