package salesdb_test

import (
	"errors"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/sales/salesdb"
)

// A manager's Home opens a rep's pipeline: their manager and admins may
// see it, another rep may not.
func TestOwnerDealsByWhoAsks(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	if _, err := e.st.EnsureUser(t.Context(), e.st.DB(), pipeline.User{WorkspaceID: e.team, ID: "U0MGR", Role: pipeline.RoleManager}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.db.ExecContext(t.Context(), `UPDATE users SET manager_id = 'U0MGR' WHERE workspace_id = $1 AND id = 'U0REP1'`, e.team); err != nil {
		t.Fatal(err)
	}

	for _, who := range []string{"U0MGR", "U0ADMIN", "U0REP1"} {
		p, err := e.svc.OwnerDeals(t.Context(), sales.OwnerDeals{Actor: e.user(t, who), Owner: "U0REP1"})
		if err != nil || p.Owner != "U0REP1" || len(p.Open) != 1 || p.Open[0].Number != d.Number || len(p.Stages) == 0 {
			t.Errorf("%s asking for U0REP1's deals: %+v, %v; want %s", who, p, err, d.Ref())
		}
	}
	var forbidden sales.ErrForbidden
	if _, err := e.svc.OwnerDeals(t.Context(), sales.OwnerDeals{Actor: e.user(t, "U0REP2"), Owner: "U0REP1"}); !errors.As(err, &forbidden) || forbidden.Owner != "U0REP1" {
		t.Errorf("another rep asking: err = %v, want ErrForbidden naming U0REP1", err)
	}
}

// Help's role read: what is stored, admins by configuration, a rep for
// someone never seen, and nobody recorded by asking.
func TestRoleReadsWithoutRecording(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	for user, want := range map[string]string{"U0ADMIN": pipeline.RoleAdmin, "U0REP1": pipeline.RoleRep, "U0NEVER": pipeline.RoleRep} {
		if got, err := e.svc.Role(t.Context(), e.team, user); err != nil || got != want {
			t.Errorf("Role(%s) = %q, %v; want %q", user, got, err, want)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0NEVER'`, e.team); n != 0 {
		t.Errorf("asking for a role recorded the person")
	}
}

// Help reads the asker's role on every request, so Role remembers it for a
// while: a change through the service shows at once, a change it did not
// make (another replica's) once the remembered role has aged on its clock.
func TestRoleIsRememberedOnItsClock(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	clock := now
	svc := salesdb.New(salesdb.Deps{Store: e.st, Now: func() time.Time { return clock }, Admins: []string{"U0ADMIN"}})
	role := func() string {
		t.Helper()
		r, err := svc.Role(t.Context(), e.team, "U0REP1")
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	if got := role(); got != pipeline.RoleRep {
		t.Fatalf("role = %q, want rep", got)
	}
	e.exec(t, `UPDATE users SET role = 'manager' WHERE workspace_id = $1 AND id = 'U0REP1'`, e.team)
	if got := role(); got != pipeline.RoleRep {
		t.Errorf("a role read a moment ago was read again: %q", got)
	}
	clock = clock.Add(31 * time.Second)
	if got := role(); got != pipeline.RoleManager {
		t.Errorf("after 31 s the role is still %q, want manager", got)
	}
	admin := pipeline.User{WorkspaceID: e.team, ID: "U0ADMIN", Role: pipeline.RoleAdmin}
	if err := svc.SetRole(t.Context(), sales.SetRole{Team: e.team, Actor: admin, User: "U0REP1", Role: pipeline.RoleAdmin, IdempotencyKey: "role-1"}); err != nil {
		t.Fatal(err)
	}
	if got := role(); got != pipeline.RoleAdmin {
		t.Errorf("right after SetRole the role is %q, want admin", got)
	}
}
