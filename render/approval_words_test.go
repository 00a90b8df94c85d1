package render

import (
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Refusals of the approval rules reach the person in their own words:
// what typed text they hold escaped, the mentions they hold kept.
func TestApprovalRefusalWords(t *testing.T) {
	missing := pipeline.MissingFieldsError{Number: 42, Stage: "Proposal <b>", Fields: []pipeline.DealField{pipeline.FieldCloseDate}}
	need := pipeline.ApprovalNeededError{Number: 42, DiscountBps: 2000, OverBps: 1000,
		Approved: &pipeline.Approval{State: pipeline.ApprovalPending, Approvers: []string{"U0MGR"}}}
	done := pipeline.AlreadyDecidedError{Number: 42, State: pipeline.ApprovalApproved, By: "U0MGR"}
	for _, c := range []struct {
		err  error
		want string
	}{
		{missing, ":warning: D-42 needs expected close date before it can move to Proposal &lt;b&gt;: fill it in with Edit, then move it again"},
		{need, ":no_entry: D-42 cannot be closed won yet: its 20% discount is waiting for approval from <@U0MGR>. Close it won once it is approved, or lower the discount."},
		{done, ":no_entry: The approval request for D-42 was already approved by <@U0MGR>; your click changed nothing."},
		{pipeline.ErrRejectNeedsWhy, ":warning: Say why you reject it: the requester sees your reason."},
	} {
		got, ok := ErrorText(c.err)
		if !ok || got != c.want {
			t.Errorf("ErrorText(%T) = %q, %v\nwant %q", c.err, got, ok, c.want)
		}
	}
}

// The approval DMs name the deal, the discount and price, and who; what
// people typed (the reasons, the account) is escaped.
func TestApprovalNoticeWords(t *testing.T) {
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	d := pipeline.Deal{Number: 42, AccountName: "Acme & Co", Title: "Renewal", Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"}, DiscountBps: 2000}
	a := pipeline.Approval{ID: 7, DealNumber: 42, RequestedBy: "U0REP1", Approvers: []string{"U0MGR"}, DiscountBps: 2000,
		Amount: d.Value, Reason: "3-year <deal>", State: pipeline.ApprovalPending, RequestedAt: at}
	approved := a
	approved.State, approved.DecidedBy, approved.DecidedAt = pipeline.ApprovalApproved, "U0MGR", &at
	rejected := approved
	rejected.State, rejected.DecisionReason = pipeline.ApprovalRejected, "margin <too> thin"
	d25, lost := d, d
	d25.DiscountBps, lost.Stage = 2500, pipeline.StageLost
	for name, c := range map[string]struct {
		got  Message
		want string
	}{
		"requested":   {ApprovalRequestedNotice(sales.ApprovalRequested{To: "U0MGR", Deal: d, Approval: a}), ":raised_hand: <@U0REP1> asks you to approve 20% off $12,500 (price $10,000) on D-42 · Acme &amp; Co — Renewal.\nWhy: 3-year &lt;deal&gt;"},
		"approved":    {ApprovalDecidedNotice(sales.ApprovalDecided{To: "U0REP1", Deal: d, Approval: approved}), ":white_check_mark: <@U0MGR> approved 20% off $12,500 (price $10,000) on D-42 · Acme &amp; Co — Renewal. It can be closed won at $10,000 or more."},
		"rejected":    {ApprovalDecidedNotice(sales.ApprovalDecided{To: "U0REP1", Deal: d, Approval: rejected}), ":x: <@U0MGR> rejected 20% off $12,500 (price $10,000) on D-42 · Acme &amp; Co — Renewal.\nWhy: margin &lt;too&gt; thin"},
		"invalidated": {ApprovalInvalidatedNotice(sales.ApprovalInvalidated{To: "U0MGR", Deal: d, Approval: approved, By: "U0REP1"}), ":arrows_counterclockwise: The approval for 20% off $12,500 (price $10,000) on D-42 · Acme &amp; Co — Renewal no longer stands: <@U0REP1> changed the deal's amount or discount (now 20% off $12,500). A new request is needed before it is closed won."},
		"replaced":    {ApprovalInvalidatedNotice(sales.ApprovalInvalidated{To: "U0MGR", Deal: d25, Approval: a, By: "U0REP1", Cause: sales.VoidReplaced}), ":arrows_counterclockwise: The request for 20% off $12,500 (price $10,000) on D-42 · Acme &amp; Co — Renewal was replaced: <@U0REP1> asked for approval of 25% off $12,500 instead."},
		"closed":      {ApprovalInvalidatedNotice(sales.ApprovalInvalidated{To: "U0MGR", Deal: lost, Approval: a, By: "U0REP1", Cause: sales.VoidClosed}), ":arrows_counterclockwise: The request for 20% off $12,500 (price $10,000) on D-42 · Acme &amp; Co — Renewal no longer stands: <@U0REP1> closed the deal lost. Nothing is left to decide."},
		"reminder":    {ApprovalReminderNotice(sales.ApprovalReminder{To: "U0MGR", Deal: d, Approval: a, Since: at}), ":hourglass: Still waiting for your decision: <@U0REP1> asked you to approve 20% off $12,500 (price $10,000) on D-42 · Acme &amp; Co — Renewal.\nWhy: 3-year &lt;deal&gt;"},
	} {
		wantBlocks := 1
		if name == "requested" {
			wantBlocks = 2 // and the Approve and Reject buttons
		}
		if c.got.Text != c.want || len(c.got.Blocks) != wantBlocks {
			t.Errorf("%s: %q (%d blocks)\nwant %q", name, c.got.Text, len(c.got.Blocks), c.want)
		}
		if strings.Contains(c.got.Text, "<deal>") || strings.Contains(c.got.Text, "<too>") {
			t.Errorf("%s: a typed reason is not escaped: %s", name, c.got.Text)
		}
	}
}

// The card's approval line follows the deal's discount and its request.
func TestApprovalLine(t *testing.T) {
	d := pipeline.Deal{Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"}, DiscountBps: 2000}
	req := func(s pipeline.ApprovalState, by string) *pipeline.Approval {
		return &pipeline.Approval{State: s, DecidedBy: by, Approvers: []string{"U0MGR", "U0ADM"}, DiscountBps: 2000, Amount: d.Value}
	}
	for _, c := range []struct {
		name string
		d    pipeline.Deal
		a    *pipeline.Approval
		want string
	}{
		{"no discount", pipeline.Deal{Value: d.Value}, nil, ""},
		{"no discount, an old rejection", pipeline.Deal{Value: d.Value}, req(pipeline.ApprovalRejected, "U0MGR"), ""},
		{"discount only", d, nil, "Discount 20% · price $10,000"},
		{"pending", d, req(pipeline.ApprovalPending, ""), "Discount 20% · price $10,000 · approval pending from <@U0MGR>, <@U0ADM>"},
		{"approved", d, req(pipeline.ApprovalApproved, "U0MGR"), "Discount 20% · price $10,000 · approved by <@U0MGR> at $10,000"},
		{"rejected", d, req(pipeline.ApprovalRejected, "U0MGR"), "Discount 20% · price $10,000 · rejected by <@U0MGR>"},
		{"invalidated", d, req(pipeline.ApprovalInvalidated, "U0MGR"), "Discount 20% · price $10,000 · its approval no longer stands: the amount or discount changed"},
	} {
		if got := ApprovalLine(c.d, c.a); got != c.want {
			t.Errorf("%s: %q\nwant %q", c.name, got, c.want)
		}
	}
}
