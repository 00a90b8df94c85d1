package sales_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// A rep lists and finds only their own leads, may not ask for anyone
// else's, and an admin sees everyone's.
func TestOpenLeadsAndFindDealsBySight(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	mine := e.repDeal(t) // U0REP1's
	other := lead(e.team, "U0REP2", "view:other")
	other.Company, other.OwnerID = "Globex", "U0REP2"
	if _, err := e.svc.CreateLead(t.Context(), other); err != nil {
		t.Fatal(err)
	}
	rep, admin := e.user(t, "U0REP1"), e.user(t, "U0ADMIN")
	numbers := func(ds []pipeline.Deal) []int64 {
		var out []int64
		for _, d := range ds {
			out = append(out, d.Number)
		}
		return out
	}

	got, err := e.svc.OpenLeads(t.Context(), sales.ListLeads{Actor: rep})
	if err != nil || len(got) != 1 || got[0].Number != mine.Number {
		t.Errorf("a rep's own leads: %v (%v), want only %s", numbers(got), err, mine.Ref())
	}
	var f sales.ErrForbidden
	if _, err := e.svc.OpenLeads(t.Context(), sales.ListLeads{Actor: rep, Of: "U0REP2"}); !errors.As(err, &f) || f.Owner != "U0REP2" {
		t.Errorf("a rep asks for another rep's leads: err = %v, want ErrForbidden naming U0REP2", err)
	}
	if _, err := e.svc.OpenLeads(t.Context(), sales.ListLeads{Actor: rep, All: true}); !errors.As(err, &f) {
		t.Errorf("a rep asks for all leads: err = %v, want ErrForbidden", err)
	}
	if got, err := e.svc.OpenLeads(t.Context(), sales.ListLeads{Actor: admin, All: true}); err != nil || len(got) != 2 {
		t.Errorf("an admin's list of all leads: %v (%v), want both", numbers(got), err)
	}

	if got, err := e.svc.FindDeals(t.Context(), rep, "globex"); err != nil || len(got) != 0 {
		t.Errorf("a rep finds another rep's deal: %v (%v), want none", numbers(got), err)
	}
	if got, err := e.svc.FindDeals(t.Context(), admin, "globex"); err != nil || len(got) != 1 || got[0].OwnerID != "U0REP2" {
		t.Errorf("an admin looks for Globex: %v (%v), want U0REP2's deal", numbers(got), err)
	}
	var invalid *sales.ValidationError
	if _, err := e.svc.FindDeals(t.Context(), admin, "  "); !errors.As(err, &invalid) || invalid.Field != "query" {
		t.Errorf("an empty search: err = %v, want a validation error of the query", err)
	}
}
