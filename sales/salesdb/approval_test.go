package salesdb_test

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// approvals is setup plus a manager, U0MGR, over U0REP1 (U0REP2 has none),
// a second admin U0ADM2, discounts above 10% needing approval, and a
// service whose notices are recorded, on clock c.
type approvals struct {
	env
	svc *salesdb.Service
	rec *recorder
	c   *clock
}

func setupApprovals(t *testing.T) approvals {
	t.Helper()
	e := setup(t, directory{})
	for id, role := range map[string]string{"U0MGR": pipeline.RoleManager, "U0ADM2": pipeline.RoleAdmin} {
		if _, err := e.st.EnsureUser(t.Context(), e.st.DB(), pipeline.User{WorkspaceID: e.team, ID: id, Role: role}); err != nil {
			t.Fatal(err)
		}
	}
	admin := e.user(t, "U0ADMIN")
	if err := e.svc.SetTeam(t.Context(), sales.SetTeam{Team: e.team, Actor: admin, Manager: "U0MGR", Reps: []string{"U0REP1"}, IdempotencyKey: "team"}); err != nil {
		t.Fatal(err)
	}
	a := approvals{env: e, rec: &recorder{}, c: &clock{t: now}}
	a.svc = salesdb.New(salesdb.Deps{Store: e.st, Outbox: a.rec, Directory: directory{}, Now: a.c.Now,
		Defaults: pipeline.Settings{Currency: "USD"}})
	a.rules(t, pipeline.ApprovalRules{On: true, DiscountOverBps: 1000})
	return a
}

func (a approvals) rules(t *testing.T, r pipeline.ApprovalRules) {
	t.Helper()
	if err := a.svc.SaveApprovalRules(t.Context(), sales.SaveApprovalRules{Team: a.team, Actor: a.user(t, "U0ADMIN"), Rules: r}); err != nil {
		t.Fatal(err)
	}
}

// dealOf is a new $12,500 deal owned by owner.
func (a approvals) dealOf(t *testing.T, owner, key string) pipeline.Deal {
	t.Helper()
	in := lead(a.team, owner, key)
	in.OwnerID = owner
	res, err := a.env.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return res.Deal
}

func (a approvals) request(t *testing.T, d pipeline.Deal, by string, bps int, key string) sales.ApprovalRequest {
	t.Helper()
	res, err := a.svc.RequestApproval(t.Context(), sales.RequestApproval{Team: a.team, Actor: a.user(t, by), Number: d.Number,
		DiscountBps: bps, Reason: "multi-year <commitment>", IdempotencyKey: key})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func (a approvals) decide(t *testing.T, id int64, by string, approve bool, reason, key string) (sales.ApprovalDecision, error) {
	return a.svc.DecideApproval(t.Context(), sales.DecideApproval{Team: a.team, Actor: a.user(t, by), ApprovalID: id,
		Approve: approve, Reason: reason, IdempotencyKey: key})
}

func (a approvals) won(t *testing.T, d pipeline.Deal, by string, amount *pipeline.Money, key string) error {
	_, err := a.svc.MoveDeal(t.Context(), sales.MoveDeal{Team: a.team, Actor: a.user(t, by), Number: d.Number,
		Move: pipeline.Move{To: pipeline.StageWon, Amount: amount}, IdempotencyKey: key})
	return err
}

func (a approvals) state(t *testing.T, id int64) string {
	t.Helper()
	var s string
	if err := a.db.GetContext(t.Context(), &s, `SELECT state || ':' || COALESCE(decided_by, '') FROM approvals WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	return s
}

// noticesTo lists the recorded notices of type N, by recipient.
func noticesTo[N sales.Notice](r *recorder, to func(N) string) []string {
	var out []string
	for _, n := range r.all() {
		if v, ok := n.(N); ok {
			out = append(out, to(v))
		}
	}
	return out
}

// A rep asks their manager for 20% off; the deal cannot be won before the
// manager approves, then can at the approved price and not below it. The
// requester is told, and the history says who decided what, when.
func TestApprovalRequestedApprovedAndEnforcedOnWon(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	d := a.dealOf(t, "U0REP1", "lead:1")

	req := a.request(t, d, "U0REP1", 2000, "slash:approve:1")
	if req.Deal.DiscountBps != 2000 || req.Deal.Price().Minor != 1_000_000 {
		t.Errorf("deal after the request: discount %d, price %v; want 20%%, $10,000", req.Deal.DiscountBps, req.Deal.Price())
	}
	if got := strings.Join(req.Approval.Approvers, ","); got != "U0MGR" || req.Approval.State != pipeline.ApprovalPending {
		t.Errorf("approvers %s, state %s; want U0MGR, pending", got, req.Approval.State)
	}
	if to := noticesTo(a.rec, func(n sales.ApprovalRequested) string { return n.To }); strings.Join(to, ",") != "U0MGR" {
		t.Errorf("ApprovalRequested to %v, want U0MGR", to)
	}
	if _, err := a.svc.RequestApproval(t.Context(), sales.RequestApproval{Team: a.team, Actor: a.user(t, "U0REP1"), Number: d.Number,
		DiscountBps: 2000, IdempotencyKey: "slash:approve:1"}); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("the same request again: %v, want ErrDuplicate", err)
	}

	err := a.won(t, d, "U0REP1", nil, "won:1")
	var need sales.ErrApprovalNeeded
	if !errors.As(err, &need) || !strings.Contains(err.Error(), "waiting for approval from <@U0MGR>") {
		t.Fatalf("won while pending: %v, want refused until approved", err)
	}

	a.c.add(time.Hour)
	if _, err := a.decide(t, req.Approval.ID, "U0REP1", true, "", "click:0"); !errors.Is(err, sales.ErrNotApprover) {
		t.Errorf("the requester approves: %v, want ErrNotApprover", err)
	}
	dec, err := a.decide(t, req.Approval.ID, "U0MGR", true, "", "click:1")
	if err != nil || dec.Approval.State != pipeline.ApprovalApproved {
		t.Fatalf("approve: %+v, %v", dec, err)
	}
	if to := noticesTo(a.rec, func(n sales.ApprovalDecided) string { return n.To + ":" + string(n.Approval.State) }); strings.Join(to, ",") != "U0REP1:approved" {
		t.Errorf("ApprovalDecided %v, want the requester told it was approved", to)
	}
	if n := a.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'approval' AND field = 'approved'
		AND actor_id = 'U0MGR' AND created_at = $2 AND new_value = '20% off $12,500 = $10,000'`, d.ID, now.Add(time.Hour)); n != 1 {
		t.Errorf("history of the approval = %d rows, want one by U0MGR at the decision's time", n)
	}

	low := pipeline.Money{Minor: 1_000_000, Currency: "USD"} // $10,000 less 20% = $8,000 < $10,000
	err = a.won(t, d, "U0REP1", &low, "won:2")
	if !errors.As(err, &need) || !strings.Contains(err.Error(), "the approved price is $10,000") {
		t.Errorf("won below the approved price: %v, want refused naming it", err)
	}
	if n := a.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND stage = 'won'`, d.ID); n != 0 {
		t.Fatal("the refused win was stored")
	}
	if err := a.won(t, d, "U0REP1", nil, "won:3"); err != nil {
		t.Fatalf("won at the approved price: %v", err)
	}
	card, err := a.svc.DealApproval(t.Context(), a.user(t, "U0REP1"), d.Number)
	if err != nil || card.Latest == nil || card.Latest.State != pipeline.ApprovalApproved || card.Latest.DecidedBy != "U0MGR" || !card.NeedsApproval {
		t.Errorf("card's approval: %+v, %v", card, err)
	}
}

// A request from a rep with no manager goes to the admins; a rejection
// needs a reason, reaches the requester, and is final.
func TestApprovalRejectedWithAReason(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	d := a.dealOf(t, "U0REP2", "lead:1")
	req := a.request(t, d, "U0REP2", 1500, "req")
	if got := strings.Join(req.Approval.Approvers, ","); got != "U0ADM2,U0ADMIN" {
		t.Fatalf("approvers %s, want the admins", got)
	}
	if _, err := a.decide(t, req.Approval.ID, "U0ADMIN", false, " ", "r0"); !errors.Is(err, pipeline.ErrRejectNeedsWhy) {
		t.Errorf("reject without a reason: %v", err)
	}
	dec, err := a.decide(t, req.Approval.ID, "U0ADMIN", false, "margin too thin", "r1")
	if err != nil || dec.Approval.State != pipeline.ApprovalRejected || dec.Approval.DecisionReason != "margin too thin" {
		t.Fatalf("reject: %+v, %v", dec, err)
	}
	if to := noticesTo(a.rec, func(n sales.ApprovalDecided) string { return n.To + ":" + n.Approval.DecisionReason }); strings.Join(to, ",") != "U0REP2:margin too thin" {
		t.Errorf("ApprovalDecided %v, want the requester told why", to)
	}
	_, err = a.decide(t, req.Approval.ID, "U0ADM2", true, "", "r2")
	var done sales.ErrAlreadyDecided
	if !errors.As(err, &done) || done.State != pipeline.ApprovalRejected || done.By != "U0ADMIN" {
		t.Errorf("approving after the rejection: %v, want already rejected by U0ADMIN", err)
	}
	if s := a.state(t, req.Approval.ID); s != "rejected:U0ADMIN" {
		t.Errorf("stored %s, want rejected:U0ADMIN", s)
	}
	var need sales.ErrApprovalNeeded
	if err := a.won(t, d, "U0REP2", nil, "won"); !errors.As(err, &need) || !strings.Contains(err.Error(), "Request approval") {
		t.Errorf("won after the rejection: %v, want refused, saying to request approval", err)
	}
}

// Two approvers clicking at once, or one clicking twice, give one
// decision: one click decides, the other is told it was decided already.
func TestConcurrentApprovesGiveOneDecision(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	d := a.dealOf(t, "U0REP2", "lead:1")
	for round, clickers := range [][2]string{{"U0ADMIN", "U0ADM2"}, {"U0ADMIN", "U0ADMIN"}, {"U0ADM2", "U0ADMIN"}, {"U0ADM2", "U0ADM2"}} {
		req := a.request(t, d, "U0REP2", 1500+100*round, "req:"+string(rune('a'+round)))
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range clickers {
			actor := a.user(t, who)
			wg.Go(func() {
				_, errs[i] = a.svc.DecideApproval(t.Context(), sales.DecideApproval{Team: a.team, Actor: actor, ApprovalID: req.Approval.ID,
					Approve: true, IdempotencyKey: "click:" + string(rune('a'+round)) + string(rune('0'+i))})
			})
		}
		wg.Wait()
		ok, told := 0, 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case errors.Is(err, pipeline.ErrAlreadyDecided):
				told++
			default:
				t.Errorf("round %d: %v", round, err)
			}
		}
		if ok != 1 || told != 1 {
			t.Errorf("round %d (%v): %d decisions and %d told it was decided, want 1 and 1", round, clickers, ok, told)
		}
		if n := a.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'approval' AND field = 'approved'
			AND new_value LIKE $2`, d.ID, pipeline.FormatDiscount(1500+100*round)+"%"); n != 1 {
			t.Errorf("round %d: %d approvals in the history, want 1", round, n)
		}
	}
	if to := noticesTo(a.rec, func(n sales.ApprovalDecided) string { return n.To }); len(to) != 4 {
		t.Errorf("requester told %d times, want once per request (4)", len(to))
	}
}

// Changing the amount after an approval voids it, tells the approver, and
// the deal can no longer be won at the old approval; a title edit does not.
func TestApprovalInvalidatedByAnEdit(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	d := a.dealOf(t, "U0REP1", "lead:1")
	req := a.request(t, d, "U0REP1", 2000, "req")
	if _, err := a.decide(t, req.Approval.ID, "U0MGR", true, "", "ok"); err != nil {
		t.Fatal(err)
	}
	rep := a.user(t, "U0REP1")
	f := form(req.Deal)
	f.Title = "Acme renewal"
	if _, err := a.svc.EditDeal(t.Context(), a.edit(d.Number, rep, f, "e1")); err != nil {
		t.Fatal(err)
	}
	if s := a.state(t, req.Approval.ID); s != "approved:U0MGR" {
		t.Errorf("after a title edit: %s, want still approved", s)
	}
	f.Value = "14000"
	if _, err := a.svc.EditDeal(t.Context(), a.edit(d.Number, rep, f, "e2")); err != nil {
		t.Fatal(err)
	}
	if s := a.state(t, req.Approval.ID); s != "invalidated:U0MGR" {
		t.Errorf("after an amount edit: %s, want invalidated (decided by U0MGR before)", s)
	}
	if to := noticesTo(a.rec, func(n sales.ApprovalInvalidated) string { return n.To + ":" + n.By }); strings.Join(to, ",") != "U0MGR:U0REP1" {
		t.Errorf("ApprovalInvalidated %v, want the approver told the rep changed it", to)
	}
	if n := a.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'approval' AND field = 'invalidated' AND actor_id = 'U0REP1'`, d.ID); n != 1 {
		t.Errorf("history of the invalidation = %d, want 1", n)
	}
	var need sales.ErrApprovalNeeded
	if err := a.won(t, d, "U0REP1", nil, "won"); !errors.As(err, &need) || need.Approved != nil {
		t.Errorf("won after the invalidation: %v, want refused with no live approval", err)
	}
	if _, err := a.decide(t, req.Approval.ID, "U0MGR", true, "", "late"); !errors.Is(err, pipeline.ErrAlreadyDecided) {
		t.Errorf("deciding the invalidated request: %v", err)
	}

	// A pending request is voided by a discount edit, too.
	req2 := a.request(t, d, "U0REP1", 2500, "req2")
	f.Discount = new(string)
	*f.Discount = "30"
	if _, err := a.svc.EditDeal(t.Context(), a.edit(d.Number, rep, f, "e3")); err != nil {
		t.Fatal(err)
	}
	if s := a.state(t, req2.Approval.ID); s != "invalidated:" {
		t.Errorf("pending after a discount edit: %s, want invalidated", s)
	}
}

// A stage's required fields are checked on the move, which is refused
// naming what is missing, and taken once they are filled in.
func TestRequiredFieldsOnMove(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	a.rules(t, pipeline.ApprovalRules{Required: map[pipeline.Stage][]pipeline.DealField{
		pipeline.StageProposal: {pipeline.FieldCloseDate, pipeline.FieldAmount}}})
	d := a.dealOf(t, "U0REP1", "lead:1")
	rep := a.user(t, "U0REP1")
	_, err := a.svc.MoveDeal(t.Context(), a.move(d.Number, rep, pipeline.StageProposal, "m1"))
	var mf sales.ErrMissingFields
	if !errors.As(err, &mf) || len(mf.Fields) != 1 || mf.Fields[0] != pipeline.FieldCloseDate ||
		err.Error() != "D-"+itoa(d.Number)+" needs expected close date before it can move to Proposal & quote: fill it in with Edit, then move it again" {
		t.Fatalf("move without a close date: %v", err)
	}
	if n := a.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND stage = 'lead'`, d.ID); n != 1 {
		t.Fatal("the refused move was stored")
	}
	f := form(d)
	f.ExpectedClose = "2026-06-30"
	if _, err := a.svc.EditDeal(t.Context(), a.edit(d.Number, rep, f, "e1")); err != nil {
		t.Fatal(err)
	}
	if _, err := a.svc.MoveDeal(t.Context(), a.move(d.Number, rep, pipeline.StageProposal, "m2")); err != nil {
		t.Errorf("move with the fields filled in: %v", err)
	}
	if err := a.svc.SaveApprovalRules(t.Context(), sales.SaveApprovalRules{Team: a.team, Actor: rep,
		Rules: pipeline.ApprovalRules{On: true}}); !errors.Is(err, pipeline.ErrForbidden) {
		t.Errorf("a rep sets the rules: %v, want ErrForbidden", err)
	}
	var bad *sales.ValidationError
	if err := a.svc.SaveApprovalRules(t.Context(), sales.SaveApprovalRules{Team: a.team, Actor: a.user(t, "U0ADMIN"),
		Rules: pipeline.ApprovalRules{Required: map[pipeline.Stage][]pipeline.DealField{"demo": {pipeline.FieldAmount}}}}); !errors.As(err, &bad) {
		t.Errorf("rules naming an unknown stage: %v, want a ValidationError", err)
	}
}

// Another workspace sees none of it: its admin cannot decide this one's
// requests, nor request on its deals, and its rules do not apply here.
func TestApprovalsStayInTheirWorkspace(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	b := setupApprovals(t)
	b.rules(t, pipeline.ApprovalRules{Required: map[pipeline.Stage][]pipeline.DealField{pipeline.StageQualified: {pipeline.FieldDealSource}}})
	d := a.dealOf(t, "U0REP1", "lead:1")
	req := a.request(t, d, "U0REP1", 2000, "req")

	other := b.user(t, "U0ADMIN")
	if _, err := b.svc.DecideApproval(t.Context(), sales.DecideApproval{Team: b.team, Actor: other, ApprovalID: req.Approval.ID, Approve: true, IdempotencyKey: "x"}); !errors.Is(err, sales.ErrApprovalNotFound) {
		t.Errorf("another workspace's admin decides: %v, want not found", err)
	}
	if _, err := b.svc.RequestApproval(t.Context(), sales.RequestApproval{Team: b.team, Actor: other, Number: d.Number, DiscountBps: 2000, IdempotencyKey: "y"}); !errors.As(err, new(sales.ErrNotFound)) {
		t.Errorf("request on this deal's number from another workspace: %v, want not found", err)
	}
	if s := a.state(t, req.Approval.ID); s != "pending:" {
		t.Errorf("after the other workspace tried: %s, want pending", s)
	}
	if _, err := a.svc.MoveDeal(t.Context(), a.move(d.Number, a.user(t, "U0REP1"), pipeline.StageQualified, "m")); err != nil {
		t.Errorf("the other workspace's required source applied here: %v", err)
	}
	if n := len(noticesTo(b.rec, func(n sales.ApprovalRequested) string { return n.To })); n != 0 {
		t.Errorf("the other workspace got %d requests", n)
	}
}

// A request pending for a working day reminds its approver once.
func TestPendingApprovalRemindsAfterAWorkingDay(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	d := a.dealOf(t, "U0REP1", "lead:1")
	a.request(t, d, "U0REP1", 2000, "req") // Tuesday 10:00 UTC

	a.c.add(24*time.Hour - time.Minute) // Wednesday 09:59
	if res, err := a.svc.RemindApprovals(t.Context(), a.team); err != nil || res.Reminded != 0 {
		t.Fatalf("before a working day: %+v, %v", res, err)
	}
	a.c.add(time.Minute)
	if res, err := a.svc.RemindApprovals(t.Context(), a.team); err != nil || res.Reminded != 1 {
		t.Fatalf("after a working day: %+v, %v", res, err)
	}
	if res, err := a.svc.RemindApprovals(t.Context(), a.team); err != nil || res.Reminded != 0 {
		t.Errorf("again: %+v, %v; want no second reminder", res, err)
	}
	if to := noticesTo(a.rec, func(n sales.ApprovalReminder) string { return n.To }); strings.Join(to, ",") != "U0MGR" {
		t.Errorf("reminded %v, want U0MGR once", to)
	}
}

func itoa(n int64) string { return pipeline.FormatRef(n)[2:] }

// Through the real outbox, each approval notice becomes a DM queued in
// the change's transaction: the request to the approver, the decision to
// the requester.
func TestApprovalNoticesAreQueuedAsDMs(t *testing.T) {
	t.Parallel()
	a := setupApprovals(t)
	d := a.dealOf(t, "U0REP1", "lead:1")
	req, err := a.env.svc.RequestApproval(t.Context(), sales.RequestApproval{Team: a.team, Actor: a.user(t, "U0REP1"), Number: d.Number,
		DiscountBps: 2000, Reason: "3-year <deal>", IdempotencyKey: "req"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.env.svc.DecideApproval(t.Context(), sales.DecideApproval{Team: a.team, Actor: a.user(t, "U0MGR"), ApprovalID: req.Approval.ID,
		Approve: true, IdempotencyKey: "ok"}); err != nil {
		t.Fatal(err)
	}
	if n := a.offers(t, "U0MGR", "approval_requested"); n != 1 {
		t.Errorf("requests queued to the manager: %d, want 1", n)
	}
	if n := a.offers(t, "U0REP1", "approval_decided"); n != 1 {
		t.Errorf("decisions queued to the rep: %d, want 1", n)
	}
}
