package render

import (
	"salesbot/pipeline"
	"salesbot/sales"
)

// describeApproval says what an "approval" history entry did: its field is
// the step, its value the request in words ("20% off $12,500 = $10,000",
// then the reason).
func describeApproval(e pipeline.HistoryEntry, q func(string) string) string {
	switch pipeline.ApprovalState(e.Field) {
	case pipeline.ApprovalApproved:
		return "approved the discount " + q(e.NewValue)
	case pipeline.ApprovalRejected:
		return "rejected the discount " + q(e.NewValue)
	case pipeline.ApprovalInvalidated:
		return "changed the amount or discount, voiding the approval of " + q(e.NewValue)
	case pipeline.ApprovalState(sales.VoidReplaced):
		return "asked again, replacing the request for " + q(e.NewValue)
	case pipeline.ApprovalState(sales.VoidClosed):
		return "closed the deal, voiding the request for " + q(e.NewValue)
	}
	return "asked for approval of " + q(e.NewValue)
}
