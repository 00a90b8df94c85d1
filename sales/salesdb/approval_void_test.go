package salesdb_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// A second request replacing the live one is recorded and told as a
// replacement, with the new discount, not as a changed deal; asking again
// for the discount already approved is refused and keeps the approval.
func TestApprovalReplacedByANewRequest(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	d := a.dealOf(t, "U0REP1", "lead:1")
	first := a.request(t, d, "U0REP1", 2000, "req1")
	second := a.request(t, d, "U0REP1", 2500, "req2")
	if second.Replaced == nil || second.Replaced.ID != first.Approval.ID {
		t.Fatalf("replaced %+v, want the first request", second.Replaced)
	}
	if s := a.state(t, first.Approval.ID); s != "invalidated:" {
		t.Errorf("first request: %s, want invalidated", s)
	}
	told := noticesTo(a.rec, func(n sales.ApprovalInvalidated) string {
		return n.To + ":" + string(n.Cause) + ":" + pipeline.FormatDiscount(n.Deal.DiscountBps)
	})
	if strings.Join(told, ",") != "U0MGR:replaced:25%" {
		t.Errorf("ApprovalInvalidated %v, want the approver told of the replacement at the new 25%%", told)
	}
	if n := a.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'approval' AND field = 'replaced'
		AND actor_id = 'U0REP1' AND new_value = '20% off $12,500 = $10,000'`, d.ID); n != 1 {
		t.Errorf("history of the replacement = %d rows, want 1", n)
	}
	if n := a.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'approval' AND field = 'invalidated'`, d.ID); n != 0 {
		t.Errorf("%d history rows say the deal changed, want none", n)
	}

	if _, err := a.decide(t, second.Approval.ID, "U0MGR", true, "", "ok"); err != nil {
		t.Fatal(err)
	}
	_, err := a.svc.RequestApproval(t.Context(), sales.RequestApproval{Team: a.team, Actor: a.user(t, "U0REP1"), Number: d.Number,
		DiscountBps: 2500, IdempotencyKey: "req3"})
	var bad *sales.ValidationError
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), "already approved by <@U0MGR>") {
		t.Errorf("asking again for the approved 25%%: %v, want refused", err)
	}
	if s := a.state(t, second.Approval.ID); s != "approved:U0MGR" {
		t.Errorf("after the repeated request: %s, want still approved", s)
	}
}

// No discount is asked on a deal without an amount.
func TestApprovalNeedsAnAmount(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	in := lead(a.team, "U0REP1", "lead:0")
	in.OwnerID, in.Value = "U0REP1", pipeline.Money{Currency: "USD"}
	res, err := a.env.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	_, err = a.svc.RequestApproval(t.Context(), sales.RequestApproval{Team: a.team, Actor: a.user(t, "U0REP1"), Number: res.Deal.Number,
		DiscountBps: 2000, IdempotencyKey: "req"})
	var bad *sales.ValidationError
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), "set the amount first") {
		t.Errorf("request on a $0 deal: %v, want refused", err)
	}
	if n := a.count(t, `SELECT count(*) FROM approvals WHERE deal_id = $1`, res.Deal.ID); n != 0 {
		t.Errorf("%d requests stored", n)
	}
}

// Closing a deal lost voids its requests, pending or approved, telling the
// approver; a win voids a pending one (possible when the rules changed
// since) and keeps the approval it was won at. A request left pending on a
// closed deal is neither decided nor reminded.
func TestClosingVoidsApprovals(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	rep := a.user(t, "U0REP1")
	lost := a.dealOf(t, "U0REP1", "lead:1")
	pending := a.request(t, lost, "U0REP1", 2000, "req1")
	in := a.move(lost.Number, rep, pipeline.StageLost, "lost")
	in.Move.Reason = "went quiet"
	if _, err := a.svc.MoveDeal(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	if s := a.state(t, pending.Approval.ID); s != "invalidated:" {
		t.Errorf("pending request of the lost deal: %s, want invalidated", s)
	}
	if told := noticesTo(a.rec, func(n sales.ApprovalInvalidated) string { return n.To + ":" + string(n.Cause) }); strings.Join(told, ",") != "U0MGR:closed" {
		t.Errorf("ApprovalInvalidated %v, want the approver told the deal closed", told)
	}
	if n := a.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'approval' AND field = 'closed'`, lost.ID); n != 1 {
		t.Errorf("history of the close = %d rows, want 1", n)
	}
	if _, err := a.decide(t, pending.Approval.ID, "U0MGR", true, "", "late"); err == nil {
		t.Error("approved a request of a lost deal")
	}

	// A request still pending on a deal closed before closing voided them.
	old := a.dealOf(t, "U0REP1", "lead:0")
	pending = a.request(t, old, "U0REP1", 2000, "req0")
	if _, err := a.db.ExecContext(t.Context(), `UPDATE deals SET stage = 'lost', lost_reason = 'old', closed_at = updated_at WHERE id = $1`, old.ID); err != nil {
		t.Fatal(err)
	}
	_, err := a.decide(t, pending.Approval.ID, "U0MGR", true, "", "late2")
	var bad *sales.ValidationError
	if !errors.As(err, &bad) || !strings.Contains(err.Error(), "is closed lost: there is nothing left to approve") {
		t.Errorf("deciding a pending request of a lost deal: %v, want refused saying so", err)
	}
	if s := a.state(t, pending.Approval.ID); s != "pending:" {
		t.Errorf("after the refused decision: %s", s)
	}
	a.c.add(7 * 24 * time.Hour)
	if res, err := a.svc.RemindApprovals(t.Context(), a.team); err != nil || res.Reminded != 0 {
		t.Errorf("reminders for a lost deal: %+v, %v; want none", res, err)
	}

	won := a.dealOf(t, "U0REP1", "lead:2")
	req := a.request(t, won, "U0REP1", 2000, "req2")
	a.rules(t, pipeline.ApprovalRules{On: true, DiscountOverBps: 5000}) // 20% needs no approval now
	if err := a.won(t, won, "U0REP1", nil, "won"); err != nil {
		t.Fatal(err)
	}
	if s := a.state(t, req.Approval.ID); s != "invalidated:" {
		t.Errorf("pending request of the won deal: %s, want invalidated", s)
	}

	a.rules(t, pipeline.ApprovalRules{On: true, DiscountOverBps: 1000})
	kept := a.dealOf(t, "U0REP1", "lead:3")
	req = a.request(t, kept, "U0REP1", 2000, "req3")
	if _, err := a.decide(t, req.Approval.ID, "U0MGR", true, "", "ok3"); err != nil {
		t.Fatal(err)
	}
	if err := a.won(t, kept, "U0REP1", nil, "won3"); err != nil {
		t.Fatal(err)
	}
	if s := a.state(t, req.Approval.ID); s != "approved:U0MGR" {
		t.Errorf("the approval a deal was won at: %s, want kept approved", s)
	}
}
