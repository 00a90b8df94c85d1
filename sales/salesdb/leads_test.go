package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// /lead list: a rep sees their own leads only; someone else's need the
// right to them; an admin sees everyone's.
func TestListLeadsByWhoAsks(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	rep1, rep2, admin := e.user(t, "U0REP1"), e.user(t, "U0REP2"), e.user(t, "U0ADMIN")

	mine, err := e.svc.ListLeads(t.Context(), sales.ListLeads{Actor: rep1})
	if err != nil || mine.Scope != sales.LeadsMine || len(mine.Leads) != 1 || mine.Leads[0].Number != d.Number {
		t.Errorf("own leads: %+v, %v; want %s", mine, err, d.Ref())
	}
	if _, err := e.svc.ListLeads(t.Context(), sales.ListLeads{Actor: rep1, All: true}); !errors.Is(err, sales.ErrOwnLeadsOnly) {
		t.Errorf("a rep asking for all: err = %v, want ErrOwnLeadsOnly", err)
	}
	var forbidden sales.ErrForbidden
	if _, err := e.svc.ListLeads(t.Context(), sales.ListLeads{Actor: rep2, Owner: "U0REP1"}); !errors.As(err, &forbidden) || forbidden.Owner != "U0REP1" {
		t.Errorf("a rep asking for another's: err = %v, want ErrForbidden naming U0REP1", err)
	}
	all, err := e.svc.ListLeads(t.Context(), sales.ListLeads{Actor: admin, All: true})
	if err != nil || all.Scope != sales.LeadsAll || len(all.Leads) != 1 {
		t.Errorf("an admin asking for all: %+v, %v; want the one lead", all, err)
	}
	of, err := e.svc.ListLeads(t.Context(), sales.ListLeads{Actor: admin, Owner: "U0REP1"})
	if err != nil || of.Scope != sales.LeadsOf || of.Owner != "U0REP1" || len(of.Leads) != 1 {
		t.Errorf("an admin asking for U0REP1's: %+v, %v", of, err)
	}
	if d.Stage != pipeline.StageLead {
		t.Fatalf("the deal is at %s, want a lead", d.Stage)
	}
}
