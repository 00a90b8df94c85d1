package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

func (e env) score(t *testing.T, d pipeline.Deal) int {
	return e.count(t, `SELECT score FROM deals WHERE id = $1`, d.ID)
}

// An admin's profile is saved once per request key and open deals are
// rescored against it: a Software lead fits a Software profile better.
func TestSetICPOnceAndRescores(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	before := e.score(t, d)
	in := sales.SetICP{Team: e.team, Actor: e.user(t, "U0ADMIN"), ICP: pipeline.ICP{Industries: []string{"Software"}}, IdempotencyKey: "view:I1"}

	if err := e.svc.SetICP(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	icp, err := e.st.ICP(t.Context(), e.st.DB(), e.team)
	if err != nil || len(icp.Industries) != 1 || icp.Industries[0] != "Software" {
		t.Errorf("ICP = %+v (%v), want industries [Software]", icp, err)
	}
	if after := e.score(t, d); after <= before {
		t.Errorf("score %d → %d: want it higher once the profile names the deal's industry", before, after)
	}
	in.ICP = pipeline.ICP{Industries: []string{"Fintech"}}
	if err := e.svc.SetICP(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if icp, _ := e.st.ICP(t.Context(), e.st.DB(), e.team); len(icp.Industries) != 1 || icp.Industries[0] != "Software" {
		t.Errorf("ICP after the repeat = %+v, want still [Software]", icp)
	}
}

// A rep is refused with the reason, and nothing is written.
func TestSetICPRefusesNonAdmin(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	before := e.score(t, d)
	rep := e.user(t, "U0REP1")

	err := e.svc.SetICP(t.Context(), sales.SetICP{Team: e.team, Actor: rep, ICP: pipeline.ICP{Industries: []string{"Software"}}, IdempotencyKey: "view:I2"})
	var f sales.ErrForbidden
	if !errors.As(err, &f) || err.Error() != pipeline.AuthorizeAdminTo(rep, "change the ideal customer profile").Error() {
		t.Fatalf("rep: err = %v, want ErrForbidden with the admin-only reason", err)
	}
	if icp, _ := e.st.ICP(t.Context(), e.st.DB(), e.team); len(icp.Industries) != 0 {
		t.Errorf("ICP = %+v, want none", icp)
	}
	if after := e.score(t, d); after != before {
		t.Errorf("score %d → %d, want unchanged", before, after)
	}
	if n := e.count(t, `SELECT count(*) FROM handled_keys WHERE workspace_id = $1 AND key = 'view:I2'`, e.team); n != 0 {
		t.Errorf("keys claimed = %d, want 0", n)
	}
}
