package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

func (e env) roleOf(t *testing.T, id string) string {
	t.Helper()
	return e.user(t, id).Role
}

func TestSetRoleOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	in := sales.SetRole{Team: e.team, Actor: e.user(t, "U0ADMIN"), User: "U0REP1", Role: pipeline.RoleManager, IdempotencyKey: "slash:role:1"}

	if err := e.svc.SetRole(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	if r := e.roleOf(t, "U0REP1"); r != pipeline.RoleManager {
		t.Errorf("role %s, want manager", r)
	}
	if err := e.svc.SetRole(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
}

func TestSetRoleRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})

	err := e.svc.SetRole(t.Context(), sales.SetRole{Team: e.team, Actor: e.user(t, "U0REP1"), User: "U0REP2", Role: pipeline.RoleAdmin, IdempotencyKey: "k1"})
	if !errors.Is(err, sales.ErrAdminOnly) || !errors.Is(err, pipeline.ErrForbidden) {
		t.Errorf("a rep sets a role: err = %v, want ErrAdminOnly", err)
	}
	err = e.svc.SetRole(t.Context(), sales.SetRole{Team: e.team, Actor: e.user(t, "U0ADMIN"), User: "U0ADMIN", Role: pipeline.RoleRep, IdempotencyKey: "k2"})
	var invalid *sales.ValidationError
	if !errors.As(err, &invalid) || invalid.Msg != "You cannot take away your own admin role; ask another admin." {
		t.Errorf("an admin drops their own role: err = %v, want it refused", err)
	}
	err = e.svc.SetRole(t.Context(), sales.SetRole{Team: e.team, Actor: e.user(t, "U0ADMIN"), User: "U0REP1", Role: "boss", IdempotencyKey: "k3"})
	if !errors.As(err, &invalid) || invalid.Field != "role" {
		t.Errorf("unknown role: err = %v, want a ValidationError on role", err)
	}
	if r := e.roleOf(t, "U0REP2"); r != pipeline.RoleRep {
		t.Errorf("U0REP2 role %s, want still rep", r)
	}
	if r := e.roleOf(t, "U0ADMIN"); r != pipeline.RoleAdmin {
		t.Errorf("U0ADMIN role %s, want still admin", r)
	}
	// A refusal keeps no key.
	if err := e.svc.SetRole(t.Context(), sales.SetRole{Team: e.team, Actor: e.user(t, "U0ADMIN"), User: "U0REP2", Role: pipeline.RoleManager, IdempotencyKey: "k1"}); err != nil {
		t.Errorf("a refused request's key: %v", err)
	}
}

func TestSetTeamOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	in := sales.SetTeam{Team: e.team, Actor: e.user(t, "U0ADMIN"), Manager: "U0ADMIN", Reps: []string{"U0REP1", "U0REP2"}, IdempotencyKey: "slash:team:1"}

	if err := e.svc.SetTeam(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	if n := e.count(t, `SELECT count(*) FROM users WHERE workspace_id = $1 AND manager_id = 'U0ADMIN'`, e.team); n != 2 {
		t.Errorf("reps managed by U0ADMIN = %d, want 2", n)
	}
	if err := e.svc.SetTeam(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
}

func TestSetTeamRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})

	err := e.svc.SetTeam(t.Context(), sales.SetTeam{Team: e.team, Actor: e.user(t, "U0REP1"), Manager: "U0REP1", Reps: []string{"U0REP2"}, IdempotencyKey: "k1"})
	if !errors.Is(err, sales.ErrAdminOnly) {
		t.Errorf("a rep sets a team: err = %v, want ErrAdminOnly", err)
	}
	err = e.svc.SetTeam(t.Context(), sales.SetTeam{Team: e.team, Actor: e.user(t, "U0ADMIN"), Manager: "U0REP1", Reps: []string{"U0REP1", "U0REP2"}, IdempotencyKey: "k2"})
	var invalid *sales.ValidationError
	if !errors.As(err, &invalid) || invalid.Field != "reps" {
		t.Errorf("manager on own team: err = %v, want a ValidationError on reps", err)
	}
	if n := e.count(t, `SELECT count(*) FROM users WHERE workspace_id = $1 AND manager_id IS NOT NULL`, e.team); n != 0 {
		t.Errorf("reps with a manager after refusals = %d, want 0", n)
	}
}

func (e env) availability(t *testing.T, id string) (away bool, capacity int) {
	t.Helper()
	if err := e.st.DB().QueryRowContext(t.Context(), `SELECT away, lead_capacity FROM users WHERE workspace_id = $1 AND id = $2`, e.team, id).Scan(&away, &capacity); err != nil {
		t.Fatal(err)
	}
	return away, capacity
}

func TestSetAwayForSelfAndByAdmin(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	in := sales.SetAway{Team: e.team, Actor: e.user(t, "U0REP1"), User: "U0REP1", Away: true, IdempotencyKey: "slash:away:1"}

	if err := e.svc.SetAway(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	if away, _ := e.availability(t, "U0REP1"); !away {
		t.Errorf("U0REP1 not away")
	}
	if err := e.svc.SetAway(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	// Another rep may not mark someone else; an admin may.
	err := e.svc.SetAway(t.Context(), sales.SetAway{Team: e.team, Actor: e.user(t, "U0REP2"), User: "U0REP1", Away: false, IdempotencyKey: "k2"})
	if !errors.Is(err, sales.ErrAdminOnly) {
		t.Errorf("a rep marks another: err = %v, want ErrAdminOnly", err)
	}
	if away, _ := e.availability(t, "U0REP1"); !away {
		t.Errorf("U0REP1 back after a refused request")
	}
	if err := e.svc.SetAway(t.Context(), sales.SetAway{Team: e.team, Actor: e.user(t, "U0ADMIN"), User: "U0REP1", Away: false, IdempotencyKey: "k3"}); err != nil {
		t.Fatal(err)
	}
	if away, _ := e.availability(t, "U0REP1"); away {
		t.Errorf("U0REP1 still away after the admin's request")
	}
}

func TestSetCapacity(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	in := sales.SetCapacity{Team: e.team, Actor: e.user(t, "U0ADMIN"), User: "U0REP1", Capacity: 25, IdempotencyKey: "slash:capacity:1"}

	if err := e.svc.SetCapacity(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	if _, c := e.availability(t, "U0REP1"); c != 25 {
		t.Errorf("capacity %d, want 25", c)
	}
	if err := e.svc.SetCapacity(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	err := e.svc.SetCapacity(t.Context(), sales.SetCapacity{Team: e.team, Actor: e.user(t, "U0REP1"), User: "U0REP1", Capacity: 5, IdempotencyKey: "k2"})
	if !errors.Is(err, sales.ErrAdminOnly) {
		t.Errorf("a rep sets capacity: err = %v, want ErrAdminOnly", err)
	}
	err = e.svc.SetCapacity(t.Context(), sales.SetCapacity{Team: e.team, Actor: e.user(t, "U0ADMIN"), User: "U0REP1", Capacity: sales.MaxCapacity + 1, IdempotencyKey: "k3"})
	var invalid *sales.ValidationError
	if !errors.As(err, &invalid) || invalid.Field != "capacity" {
		t.Errorf("too big: err = %v, want a ValidationError on capacity", err)
	}
	if _, c := e.availability(t, "U0REP1"); c != 25 {
		t.Errorf("capacity %d after refusals, want still 25", c)
	}
}
