package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// The card's Request approval button (its value is the deal number) and
// the form it opens.
const (
	ActRequestApproval = "deal_request_approval"
	CbRequestApproval  = "approval_request"
	InDiscount         = "discount"
	InApprovalReason   = "approval_reason"
)

// FormRequestApproval is the form Request approval opens.
var FormRequestApproval = Form{"Request approval", "click *Request approval* on the card again"}

// requestApprovalButton is the card's Request approval button: while the
// workspace requires approval above a discount and the deal is open, and
// not while a request waits for its approvers or stands approved, since a
// new one would void it (`/deal approve` can still replace it on purpose).
func requestApprovalButton(c Card) *slack.ButtonBlockElement {
	if !c.ApprovalsOn || c.Deal.Stage.Closed() || (c.Approval != nil && c.Approval.State.Live()) {
		return nil
	}
	return slack.NewButtonBlockElement(ActRequestApproval, fmt.Sprint(c.Deal.Number), Plain("Request approval"))
}

// RequestApprovalModal asks for the discount to approve on d and why,
// starting from the deal's own discount; over is the threshold above which
// approval is needed, shown so the person knows what needs it.
func RequestApprovalModal(d pipeline.Deal, over int, metadata string) slack.ModalViewRequest {
	initial := ""
	if d.DiscountBps > 0 {
		initial = strings.TrimSuffix(pipeline.FormatDiscount(d.DiscountBps), "%")
	}
	hint := fmt.Sprintf("Off the amount of %s. A discount above %s needs approval; it becomes the deal's discount.", ValueText(d), pipeline.FormatDiscount(over))
	return Modal(CbRequestApproval, "Request approval", "Request", metadata,
		slack.NewSectionBlock(Mrkdwn(approvalDeal(d)), nil, nil),
		Field(InDiscount, "Discount (%)", hint, TextEl(InDiscount, "15", initial, 6, false), false),
		Field(InApprovalReason, "Reason", "The approver sees it.", TextEl(InApprovalReason, "Multi-year commitment", "", pipeline.MaxReasonLen, true), true),
	)
}

// BadRequestedDiscount is the form's error for a discount that is not a
// percentage above 0.
const BadRequestedDiscount = "Enter the discount to approve as a percentage above 0 and up to 100, such as 15 or 12.5."

// DiscountNeedsNoApproval is the form's error for a discount at or under
// the threshold: there is nothing to approve.
func DiscountNeedsNoApproval(bps, over int) string {
	return fmt.Sprintf("A %s discount needs no approval here (only above %s): set it with Edit.", pipeline.FormatDiscount(bps), pipeline.FormatDiscount(over))
}

// ApprovalsOff answers Request approval when the workspace turned
// approvals off after the card was drawn.
const ApprovalsOff = "Discounts need no approval in this workspace: set the discount with Edit."

// DiscountField is the edit form's discount, in percent: a change voids
// the deal's approval, as a change of its amount does.
func DiscountField(d pipeline.Deal) *slack.InputBlock {
	initial := ""
	if d.DiscountBps > 0 {
		initial = strings.TrimSuffix(pipeline.FormatDiscount(d.DiscountBps), "%")
	}
	return Field(string(pipeline.FieldDiscount), "Discount (%)", "Off the amount; the card shows the price it leaves. Empty: none.",
		TextEl(string(pipeline.FieldDiscount), "15", initial, 6, false), true)
}
