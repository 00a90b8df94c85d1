package commands

import (
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// approvalRef travels in the Request approval form: the card it came from,
// and the threshold it opened with, so the form can say inline that a
// discount needs no approval (the use case checks again).
type approvalRef struct {
	cardRef
	Over int `json:"over"`
}

// openRequestApproval opens the Request approval form of the card's deal,
// starting from the deal's discount. The deal and the rules are read first,
// within the trigger's 3 s; with approvals off the person is told so.
func (a *App) openRequestApproval(cb slack.InteractionCallback, ref cardRef) Reply {
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, fastDBTimeout*2)
		defer cancel()
		actor, _, err := a.sales.Actor(dbctx, cb.Team.ID, cb.User.ID)
		var d pipeline.Deal
		var rules pipeline.ApprovalRules
		if err == nil {
			d, err = a.sales.Deal(dbctx, actor, ref.Number)
		}
		if err == nil {
			rules, err = a.sales.ApprovalRules(dbctx, actor.WorkspaceID)
		}
		if err == nil && !rules.On {
			err = badInput(render.ApprovalsOff)
		}
		if err != nil {
			return a.tell(ctx, cb.ResponseURL, cb.User.ID, ephemeral(a.userError(err, cb.Team.ID, cb.User.ID)))
		}
		b, _ := json.Marshal(approvalRef{cardRef: ref, Over: rules.DiscountOverBps})
		view := render.RequestApprovalModal(d, rules.DiscountOverBps, string(b))
		return a.openModal(ctx, cb.TriggerID, view, modalOpen{Form: render.FormRequestApproval, responseURL: cb.ResponseURL, user: cb.User.ID})
	}}
}

// requestApprovalSubmit checks the form inline (a discount that is no
// percentage, or needs no approval; a reason too long) and, once valid,
// asks for the approval after the ack, as `/deal approve` does, once per
// view, then redraws the card.
func (a *App) requestApprovalSubmit(cb slack.InteractionCallback) Reply {
	var ref approvalRef
	if err := json.Unmarshal([]byte(cb.View.PrivateMetadata), &ref); err != nil || ref.Number <= 0 {
		a.log.Warn("request approval form without a deal", "error", err)
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(map[string]string{
			render.InDiscount: render.LostTrack(render.FormRequestApproval, "the deal")})}
	}
	errs := map[string]string{}
	bps, err := pipeline.ParseDiscount(stateValue(cb.View.State, render.InDiscount).Value)
	switch {
	case err != nil || bps == 0:
		errs[render.InDiscount] = render.BadRequestedDiscount
	case bps <= ref.Over:
		errs[render.InDiscount] = render.DiscountNeedsNoApproval(bps, ref.Over)
	}
	reason := strings.TrimSpace(stateValue(cb.View.State, render.InApprovalReason).Value)
	if n := utf8.RuneCountInString(reason); n > pipeline.MaxReasonLen {
		errs[render.InApprovalReason] = render.TooLong("reason", n, pipeline.MaxReasonLen)
	}
	if len(errs) > 0 {
		return Reply{Ack: slack.NewErrorsViewSubmissionResponse(errs)}
	}
	return a.applyCardChange(cb, ref.cardRef, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings, key string) (pipeline.Deal, string, error) {
		res, err := a.sales.RequestApproval(ctx, sales.RequestApproval{Team: actor.WorkspaceID, Actor: actor, Number: ref.Number,
			DiscountBps: bps, Reason: reason, IdempotencyKey: key})
		if err != nil {
			return pipeline.Deal{}, "", err
		}
		return res.Deal, render.ApprovalAsked(res), nil
	})
}
