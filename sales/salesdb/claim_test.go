package salesdb_test

import (
	"errors"
	"testing"

	"github.com/jmoiron/sqlx"

	"salesbot/sales"
)

// A request key is claimed once per workspace: again it is ErrDuplicate,
// another workspace has its own, a rolled-back claim leaves the key free,
// and an empty key claims nothing.
func TestClaimOncePerWorkspace(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	other := setup(t, directory{})
	keys := func(team string) int {
		return e.count(t, `SELECT count(*) FROM handled_keys WHERE workspace_id = $1`, team)
	}
	claim := func(team, key string) func(tx *sqlx.Tx) error {
		return func(tx *sqlx.Tx) error { return e.svc.Claim(t.Context(), tx, team, key) }
	}

	e.inTx(t, claim(e.team, "view:V1"))
	tx, err := e.db.BeginTxx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Claim(t.Context(), tx, e.team, "view:V1"); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("the same key again: err = %v, want ErrDuplicate", err)
	}
	tx.Rollback()
	e.inTx(t, claim(other.team, "view:V1"))

	tx, err = e.db.BeginTxx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.svc.Claim(t.Context(), tx, e.team, "view:V2"); err != nil {
		t.Fatal(err)
	}
	tx.Rollback()
	e.inTx(t, claim(e.team, "view:V2")) // free again after the rollback
	e.inTx(t, claim(e.team, ""))

	if n := keys(e.team); n != 2 {
		t.Errorf("keys of the workspace = %d, want 2 (view:V1, view:V2)", n)
	}
	if n := keys(other.team); n != 1 {
		t.Errorf("keys of the other workspace = %d, want 1", n)
	}
}
