package commands

import (
	"context"
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
		return Reply{Later: func(ctx context.Context) error {
			return a.openModal(ctx, cb.TriggerID, render.ApprovalRejectModal(id),
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
	id, err := strconv.ParseInt(cb.View.PrivateMetadata, 10, 64)
	if err != nil {
		a.log.Warn("reject form without an approval", "error", err)
		return Reply{}
	}
	reason := strings.TrimSpace(stateValue(cb.View.State, render.InDecisionReason).Value)
	switch n := utf8.RuneCountInString(reason); {
	case reason == "":
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InDecisionReason: render.RejectNeedsReason})}
	case n > pipeline.MaxReasonLen:
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{render.InDecisionReason: render.TooLong("reason", n, pipeline.MaxReasonLen)})}
	}
	deliver := func(ctx context.Context, m message) error { return a.tell(ctx, "", cb.User.ID, m) }
	return a.afterAck(cb.Team.ID, cb.User.ID, deliver, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		res, err := a.sales.DecideApproval(ctx, sales.DecideApproval{Team: actor.WorkspaceID, Actor: actor, ApprovalID: id,
			Reason: reason, IdempotencyKey: "view:" + cb.View.ID})
		if err != nil {
			return message{}, err
		}
		text := render.ApprovalDecidedAnswer(res)
		return message{Text: text, Blocks: render.Answered(text)}, nil
	})
}
