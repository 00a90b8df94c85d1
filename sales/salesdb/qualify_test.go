package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

func (e env) qualify(n int64, actor pipeline.User, reason, key string) sales.QualifyLead {
	return sales.QualifyLead{Team: e.team, Actor: actor, Number: n, Reason: reason, IdempotencyKey: key,
		Answers: pipeline.Qualification{BudgetConfirmed: true, BudgetRange: "20-40k",
			Authority: pipeline.AuthorityDecisionMaker, Need: "Follow-ups get lost", Timing: pipeline.TimingUnder1}}
}

// Qualifying a lead stores the answers and moves it to qualified, with its
// history, once however often the request arrives.
func TestQualifyLeadOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	in := e.qualify(d.Number, e.user(t, "U0REP1"), "", "view:Q1")

	res, err := e.svc.QualifyLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if !res.Moved || res.Deal.Stage != pipeline.StageQualified {
		t.Errorf("moved %v to %s, want moved to qualified", res.Moved, res.Deal.Stage)
	}
	if _, err := e.svc.QualifyLead(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND stage = 'qualified' AND qualification->'bant'->>'authority' = $2`, d.ID, pipeline.AuthorityDecisionMaker); n != 1 {
		t.Errorf("deals qualified with the answers = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND field = 'stage'`, d.ID); n != 1 {
		t.Errorf("stage history entries = %d, want 1", n)
	}
}

// Disqualifying closes the lead as lost, the reason recorded.
func TestDisqualifyLeadClosesItLost(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)

	res, err := e.svc.QualifyLead(t.Context(), e.qualify(d.Number, e.user(t, "U0REP1"), "No budget", "view:Q1"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Deal.Stage != pipeline.StageLost || res.Deal.LostReason != "Disqualified: No budget" {
		t.Errorf("stage %s, reason %q; want lost, Disqualified: No budget", res.Deal.Stage, res.Deal.LostReason)
	}
	if s := e.stageOf(t, d.Number); s != pipeline.StageLost {
		t.Errorf("stored stage %s, want lost", s)
	}
}

func TestQualifyLeadRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)

	_, err := e.svc.QualifyLead(t.Context(), e.qualify(d.Number, e.user(t, "U0REP2"), "", "k1"))
	var f sales.ErrForbidden
	if !errors.As(err, &f) || f.Owner != "U0REP1" {
		t.Errorf("another rep: err = %v, want ErrForbidden naming U0REP1", err)
	}
	_, err = e.svc.QualifyLead(t.Context(), e.qualify(999, e.user(t, "U0REP1"), "", "k2"))
	var nf sales.ErrNotFound
	if !errors.As(err, &nf) || nf.Number != 999 {
		t.Errorf("unknown deal: err = %v, want ErrNotFound for 999", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND stage = 'lead' AND qualification ? 'bant'`, d.ID); n != 0 {
		t.Errorf("answers stored by refused requests")
	}

	// A closed deal is refused, and nothing of the answers is kept.
	if _, err := e.svc.MoveDeal(t.Context(), sales.MoveDeal{Team: e.team, Actor: e.user(t, "U0REP1"), Number: d.Number,
		Move: pipeline.Move{To: pipeline.StageLost, Reason: "Gone quiet"}, IdempotencyKey: "k3"}); err != nil {
		t.Fatal(err)
	}
	_, err = e.svc.QualifyLead(t.Context(), e.qualify(d.Number, e.user(t, "U0REP1"), "", "k4"))
	var invalid *sales.ValidationError
	if !errors.As(err, &invalid) || invalid.Msg != d.Ref()+" is closed; reopen it before qualifying it." {
		t.Errorf("closed deal: err = %v, want it refused as closed", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND qualification ? 'bant'`, d.ID); n != 0 {
		t.Errorf("answers stored on a closed deal")
	}
	// A refusal keeps no key.
	if _, err := e.svc.QualifyLead(t.Context(), e.qualify(d.Number, e.user(t, "U0REP1"), "", "k1")); !errors.As(err, &invalid) {
		t.Errorf("refused key reused: err = %v, want the closed refusal, not ErrDuplicate", err)
	}
}
