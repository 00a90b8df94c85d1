package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// offered hands a deal of U0REP1's to U0REP2, who has not answered yet.
func (e env) offered(t *testing.T) pipeline.Deal {
	t.Helper()
	d := e.repDeal(t)
	if _, err := e.svc.AssignLead(t.Context(), e.assign(d.Number, "U0REP1", "U0REP2", "slash:assign", t)); err != nil {
		t.Fatal(err)
	}
	return d
}

func (e env) answerOffer(t *testing.T, n int64, actor string, accept bool, key string) sales.AnswerHandoff {
	return sales.AnswerHandoff{Team: e.team, Actor: e.user(t, actor), Number: n, Accept: accept, IdempotencyKey: key}
}

func TestAcceptHandoffOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.offered(t)
	in := e.answerOffer(t, d.Number, "U0REP2", true, "action:accept:1")

	res, err := e.svc.AnswerHandoff(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Deal.OwnerID != "U0REP2" || res.Previous != "U0REP1" || res.Next != "" {
		t.Errorf("owner %s, previous %s, next %q; want U0REP2, U0REP1, none", res.Deal.OwnerID, res.Previous, res.Next)
	}
	if _, err := e.svc.AnswerHandoff(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND owner_id = 'U0REP2' AND handoff_state = 'accepted'`, d.ID); n != 1 {
		t.Errorf("deals accepted by U0REP2 = %d, want 1", n)
	}
	if n := e.offers(t, "U0REP1", "handoff_answer"); n != 1 {
		t.Errorf("answers queued to U0REP1 = %d, want 1", n)
	}
}

// A rejected lead that a person handed over goes back to them, and they
// are told.
func TestRejectHandoffGivesItBack(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.offered(t)

	res, err := e.svc.AnswerHandoff(t.Context(), e.answerOffer(t, d.Number, "U0REP2", false, "action:reject:1"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Deal.OwnerID != "U0REP1" || res.Next != "" {
		t.Errorf("owner %s, next %q; want back with U0REP1", res.Deal.OwnerID, res.Next)
	}
	if n := e.offers(t, "U0REP1", "handoff_answer"); n != 1 {
		t.Errorf("answers queued to U0REP1 = %d, want 1", n)
	}
}

// A rejected lead that routing chose the rep for goes on to the next rep;
// the lead's creator hears about it instead of an answer.
func TestRejectRoutedLeadGoesToNextRep(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	created, err := e.svc.CreateLead(t.Context(), lead(e.team, "U0ADMIN", "view:V1"))
	if err != nil {
		t.Fatal(err)
	}
	d := created.Deal // the routing rule gave it to U0REP2

	res, err := e.svc.AnswerHandoff(t.Context(), e.answerOffer(t, d.Number, "U0REP2", false, "action:reject:1"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Next != "U0REP1" || res.Deal.OwnerID == "U0REP2" {
		t.Errorf("next %q; want U0REP1", res.Next)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND owner_id = 'U0REP1' AND handoff_state = 'pending'`, d.ID); n != 1 {
		t.Errorf("deals pending with U0REP1 = %d, want 1", n)
	}
	if n := e.offers(t, "U0REP1", "lead_routed"); n != 1 {
		t.Errorf("offers queued to U0REP1 = %d, want 1", n)
	}
	if n := e.offers(t, "U0ADMIN", "handoff_rerouted"); n != 1 {
		t.Errorf("notes queued to U0ADMIN = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM river_job WHERE args->>'team_id' = $1 AND args->>'kind' = 'handoff_answer'`, e.team); n != 0 {
		t.Errorf("answers queued = %d, want 0", n)
	}
}

func TestAnswerHandoffRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.offered(t)

	_, err := e.svc.AnswerHandoff(t.Context(), e.answerOffer(t, d.Number, "U0ADMIN", true, "k1"))
	if !errors.Is(err, sales.ErrNotPending) {
		t.Errorf("someone else accepts: err = %v, want ErrNotPending", err)
	}
	_, err = e.svc.AnswerHandoff(t.Context(), e.answerOffer(t, 999, "U0REP2", true, "k2"))
	var nf sales.ErrNotFound
	if !errors.As(err, &nf) || nf.Number != 999 {
		t.Errorf("unknown deal: err = %v, want ErrNotFound for 999", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND owner_id = 'U0REP2' AND handoff_state = 'pending'`, d.ID); n != 1 {
		t.Errorf("deal changed by refused answers")
	}
	if n := e.count(t, `SELECT count(*) FROM river_job WHERE args->>'team_id' = $1 AND args->>'kind' = 'handoff_answer'`, e.team); n != 0 {
		t.Errorf("answers queued = %d, want 0", n)
	}
	// A refusal keeps no key: the offer can still be answered with it.
	if _, err := e.svc.AnswerHandoff(t.Context(), e.answerOffer(t, d.Number, "U0REP2", true, "k1")); err != nil {
		t.Errorf("answer with a refused request's key: %v", err)
	}
}
