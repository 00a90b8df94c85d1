package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// approvalAsked is a request in words: "20% off $12,500 (price $10,000)".
func approvalAsked(a pipeline.Approval) string {
	return fmt.Sprintf("%s off %s (price %s)", pipeline.FormatDiscount(a.DiscountBps), a.Amount, a.Price())
}

// approvalDeal names the deal of a notice: "D-42 · Acme — Website".
func approvalDeal(d pipeline.Deal) string {
	return fmt.Sprintf("%s · %s — %s", d.Ref(), Escape(d.AccountName), Escape(d.Title))
}

func approvalWhy(label, reason string) string {
	if reason == "" {
		return ""
	}
	return fmt.Sprintf("\n%s: %s", label, Escape(reason))
}

func textMessage(text string) Message {
	return Message{Text: text, Blocks: []slack.Block{slack.NewSectionBlock(Mrkdwn(text), nil, nil)}}
}

// Approval buttons and the Reject form; a button's value is the approval's ID.
const (
	ActApprovalApprove = "approval_approve"
	ActApprovalReject  = "approval_reject"
	CbApprovalReject   = "approval_reject"
	InDecisionReason   = "decision_reason"
)

// InApprovalOver is the settings form's discount threshold, in percent.
const InApprovalOver = "approval_over"

// BadApprovalOver is the settings form's error for a threshold that is not a percentage.
const BadApprovalOver = "Enter a percentage from 0 to 99.99, such as 15, or leave it empty for no approvals."

// ApprovalThresholdField is the settings form's discount threshold, as r has it.
func ApprovalThresholdField(r pipeline.ApprovalRules) *slack.InputBlock {
	initial := ""
	if r.On {
		initial = strings.TrimSuffix(pipeline.FormatDiscount(r.DiscountOverBps), "%")
	}
	return Field(InApprovalOver, "Discount approval above (%)",
		"A discount above this needs the owner's manager's approval (the admins', when there is no manager) before the deal is won. Empty: off.",
		TextEl(InApprovalOver, "15", initial, 6, false), true)
}

// FormApprovalReject is the form the Reject button opens.
var FormApprovalReject = Form{"Reject discount", "click *Reject* again"}

// ApprovalRequestedNotice asks an approver to decide a discount, with
// Approve and Reject buttons.
func ApprovalRequestedNotice(n sales.ApprovalRequested) Message {
	a := n.Approval
	m := textMessage(fmt.Sprintf(":raised_hand: <@%s> asks you to approve %s on %s.%s",
		a.RequestedBy, approvalAsked(a), approvalDeal(n.Deal), approvalWhy("Why", a.Reason)))
	id := strconv.FormatInt(a.ID, 10)
	approve := slack.NewButtonBlockElement(ActApprovalApprove, id, Plain("Approve"))
	approve.Style = slack.StylePrimary
	reject := slack.NewButtonBlockElement(ActApprovalReject, id, Plain("Reject"))
	reject.Style = slack.StyleDanger
	m.Blocks = append(m.Blocks, slack.NewActionBlock("approval:"+id, approve, reject))
	return m
}

// ApprovalRejectModal asks the approver why they reject request id.
func ApprovalRejectModal(metadata string) slack.ModalViewRequest {
	return Modal(CbApprovalReject, "Reject discount", "Reject", metadata,
		Field(InDecisionReason, "Reason", "The requester sees it.", TextEl(InDecisionReason, "The margin is too thin", "", pipeline.MaxReasonLen, true), false),
	)
}

// LostTrack is a form's inline error when what it was about did not come
// back with it (what: "the request", "the deal").
func LostTrack(f Form, what string) string {
	return fmt.Sprintf("%s lost track of %s: close this form and %s.", f.Name, what, f.Again)
}

// RejectNeedsReason is the Reject form's error when the reason is empty.
const RejectNeedsReason = "Say why you reject it: the requester sees your reason."

// ApprovalDecidedAnswer tells the approver what they decided.
func ApprovalDecidedAnswer(res sales.ApprovalDecision) string {
	a := res.Approval
	if a.State == pipeline.ApprovalApproved {
		return fmt.Sprintf(":white_check_mark: You approved %s on %s. <@%s> is told.", approvalAsked(a), approvalDeal(res.Deal), a.RequestedBy)
	}
	return fmt.Sprintf(":x: You rejected %s on %s. <@%s> is told why.", approvalAsked(a), approvalDeal(res.Deal), a.RequestedBy)
}

// ApprovalDecidedNotice tells the requester the decision.
func ApprovalDecidedNotice(n sales.ApprovalDecided) Message {
	a := n.Approval
	if a.State == pipeline.ApprovalApproved {
		return textMessage(fmt.Sprintf(":white_check_mark: <@%s> approved %s on %s. It can be closed won at %s or more.%s",
			a.DecidedBy, approvalAsked(a), approvalDeal(n.Deal), a.Price(), approvalWhy("Note", a.DecisionReason)))
	}
	return textMessage(fmt.Sprintf(":x: <@%s> rejected %s on %s.%s",
		a.DecidedBy, approvalAsked(a), approvalDeal(n.Deal), approvalWhy("Why", a.DecisionReason)))
}

// ApprovalInvalidatedNotice tells the requester and approvers that a change
// of the amount or discount, a new request or the deal's close voided a
// request.
func ApprovalInvalidatedNotice(n sales.ApprovalInvalidated) Message {
	a := n.Approval
	was := "The request"
	if a.DecidedBy != "" {
		was = "The approval"
	}
	switch n.Cause {
	case sales.VoidReplaced:
		return textMessage(fmt.Sprintf(":arrows_counterclockwise: %s for %s on %s was replaced: <@%s> asked for approval of %s off %s instead.",
			was, approvalAsked(a), approvalDeal(n.Deal), n.By, pipeline.FormatDiscount(n.Deal.DiscountBps), n.Deal.Value))
	case sales.VoidClosed:
		return textMessage(fmt.Sprintf(":arrows_counterclockwise: %s for %s on %s no longer stands: <@%s> closed the deal %s. Nothing is left to decide.",
			was, approvalAsked(a), approvalDeal(n.Deal), n.By, n.Deal.Stage))
	}
	return textMessage(fmt.Sprintf(":arrows_counterclockwise: %s for %s on %s no longer stands: <@%s> changed the deal's amount or discount (now %s off %s). A new request is needed before it is closed won.",
		was, approvalAsked(a), approvalDeal(n.Deal), n.By, pipeline.FormatDiscount(n.Deal.DiscountBps), n.Deal.Value))
}

// ApprovalReminderNotice reminds an approver of a request pending a working day.
func ApprovalReminderNotice(n sales.ApprovalReminder) Message {
	a := n.Approval
	return textMessage(fmt.Sprintf(":hourglass: Still waiting for your decision: <@%s> asked you to approve %s on %s.%s",
		a.RequestedBy, approvalAsked(a), approvalDeal(n.Deal), approvalWhy("Why", a.Reason)))
}

// ApprovalAsked confirms a request to the requester: what was asked of whom.
func ApprovalAsked(res sales.ApprovalRequest) string {
	a := res.Approval
	return fmt.Sprintf(":raised_hand: Approval of %s on %s asked of %s. You will be told their decision.",
		approvalAsked(a), res.Deal.Ref(), Mentions(a.Approvers))
}

// ApprovalLine is the card's line on the deal's discount and its approval:
// "Discount 20% · price $10,000 · approval pending from @Maria"; empty for
// a deal with no discount and no request that still counts.
func ApprovalLine(d pipeline.Deal, a *pipeline.Approval) string {
	live := a != nil && a.State.Live()
	if d.DiscountBps == 0 && !live {
		return ""
	}
	line := fmt.Sprintf("Discount %s · price %s", pipeline.FormatDiscount(d.DiscountBps), d.Price())
	if a == nil {
		return line
	}
	switch a.State {
	case pipeline.ApprovalPending:
		line += " · approval pending from " + Mentions(a.Approvers)
	case pipeline.ApprovalApproved:
		line += fmt.Sprintf(" · approved by <@%s> at %s", a.DecidedBy, a.Price())
	case pipeline.ApprovalRejected:
		line += fmt.Sprintf(" · rejected by <@%s>", a.DecidedBy)
	case pipeline.ApprovalInvalidated:
		line += " · its approval no longer stands: the amount or discount changed"
	}
	return line
}
