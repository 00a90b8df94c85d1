package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/sales"
)

func (e env) assign(n int64, actor string, to, key string, t *testing.T) sales.AssignLead {
	return sales.AssignLead{Team: e.team, Actor: e.user(t, actor), Number: n, To: to, IdempotencyKey: key}
}

// A handed-over lead is offered to its new owner once however often the
// request arrives; the offer waits for their answer.
func TestAssignLeadOffersOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	in := e.assign(d.Number, "U0REP1", "U0REP2", "slash:assign:1", t)

	res, err := e.svc.AssignLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Deal.OwnerID != "U0REP2" || res.Previous != "U0REP1" || !res.Offered {
		t.Errorf("owner %s, previous %s, offered %v; want U0REP2, U0REP1, offered", res.Deal.OwnerID, res.Previous, res.Offered)
	}
	if _, err := e.svc.AssignLead(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.offers(t, "U0REP2", "handoff_offer"); n != 1 {
		t.Errorf("offers queued to U0REP2 = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND owner_id = 'U0REP2' AND handoff_state = 'pending'`, d.ID); n != 1 {
		t.Errorf("deals pending with U0REP2 = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND field = 'owner' AND old_value = 'U0REP1' AND new_value = 'U0REP2'`, d.ID); n != 1 {
		t.Errorf("owner history entries = %d, want 1", n)
	}
}

// Someone taking a deal themselves owns it at once, without an offer.
func TestAssignLeadToSelfNeedsNoOffer(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)

	res, err := e.svc.AssignLead(t.Context(), e.assign(d.Number, "U0ADMIN", "U0ADMIN", "slash:assign:1", t))
	if err != nil {
		t.Fatal(err)
	}
	if res.Deal.OwnerID != "U0ADMIN" || res.Offered {
		t.Errorf("owner %s, offered %v; want U0ADMIN without an offer", res.Deal.OwnerID, res.Offered)
	}
	if n := e.offers(t, "U0ADMIN", "handoff_offer"); n != 0 {
		t.Errorf("offers queued = %d, want 0", n)
	}
}

func TestAssignLeadRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)

	_, err := e.svc.AssignLead(t.Context(), e.assign(d.Number, "U0REP2", "U0REP2", "k1", t))
	var fb sales.ErrForbidden
	if !errors.As(err, &fb) || fb.Owner != "U0REP1" {
		t.Errorf("another rep takes it: err = %v, want ErrForbidden naming U0REP1", err)
	}
	_, err = e.svc.AssignLead(t.Context(), e.assign(d.Number, "U0ADMIN", "U0REP1", "k2", t))
	var owns sales.ErrAlreadyOwner
	if !errors.As(err, &owns) || owns.Owner != "U0REP1" || owns.Number != d.Number {
		t.Errorf("to its owner: err = %v, want ErrAlreadyOwner naming U0REP1", err)
	}
	_, err = e.svc.AssignLead(t.Context(), e.assign(999, "U0ADMIN", "U0REP2", "k3", t))
	var nf sales.ErrNotFound
	if !errors.As(err, &nf) || nf.Number != 999 {
		t.Errorf("unknown deal: err = %v, want ErrNotFound for 999", err)
	}
	_, err = e.svc.AssignLead(t.Context(), e.assign(d.Number, "U0ADMIN", "", "k4", t))
	var v *sales.ValidationError
	if !errors.As(err, &v) || v.Field != "to" {
		t.Errorf("no new owner: err = %v, want a validation error on to", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND owner_id = 'U0REP1' AND handoff_state = 'none'`, d.ID); n != 1 {
		t.Errorf("deal changed by refused requests")
	}
	if n := e.count(t, `SELECT count(*) FROM river_job WHERE args->>'team_id' = $1 AND args->>'kind' = 'handoff_offer'`, e.team); n != 0 {
		t.Errorf("offers queued = %d, want 0", n)
	}
}
