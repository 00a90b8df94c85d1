package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

// A deal is read by its owner, the owner's manager and an admin; another
// rep is refused with whose it is, and a number the workspace does not
// have is not found, even when another workspace has it.
func TestDealIsReadByThoseWhoMayWorkOnIt(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	if _, err := e.st.EnsureUser(t.Context(), e.st.DB(), pipeline.User{WorkspaceID: e.team, ID: "U0MGR", Role: pipeline.RoleManager}); err != nil {
		t.Fatal(err)
	}
	if err := e.svc.SetTeam(t.Context(), sales.SetTeam{Team: e.team, Actor: e.user(t, "U0ADMIN"), Manager: "U0MGR",
		Reps: []string{"U0REP1"}, IdempotencyKey: "slash:team"}); err != nil {
		t.Fatal(err)
	}
	d := e.repDeal(t)

	for _, who := range []string{"U0REP1", "U0MGR", "U0ADMIN"} {
		got, err := e.svc.Deal(t.Context(), e.user(t, who), d.Number)
		if err != nil || got.ID != d.ID || got.AccountName != "Acme Corp" || got.OwnerID != "U0REP1" {
			t.Errorf("%s reads %s: %s of %q owned by %s, err %v; want Acme Corp's deal of U0REP1", who, d.Ref(), got.Ref(), got.AccountName, got.OwnerID, err)
		}
	}

	_, err := e.svc.Deal(t.Context(), e.user(t, "U0REP2"), d.Number)
	var forbidden sales.ErrForbidden
	if !errors.As(err, &forbidden) || forbidden.Owner != "U0REP1" || !errors.Is(err, pipeline.ErrForbidden) {
		t.Errorf("another rep reads it: err = %v, want ErrForbidden naming U0REP1", err)
	}

	other := setup(t, directory{})
	other.repDeal(t)
	in := lead(other.team, "U0REP1", "view:second")
	in.OwnerID, in.Company, in.ContactEmail = "U0REP1", "Beta", "bo@beta.example"
	res, err := other.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	second := res.Deal // its number is not used in e's workspace
	var nf sales.ErrNotFound
	if _, err := e.svc.Deal(t.Context(), e.user(t, "U0ADMIN"), second.Number); !errors.As(err, &nf) || nf.Number != second.Number {
		t.Errorf("a number only another workspace has: err = %v, want ErrNotFound for %d", err, second.Number)
	}
}
