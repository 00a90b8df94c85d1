package store_test

import (
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/store"
)

// A key under OnceKeyPrefix (a hint given once per workspace) outlives
// pruning, so the hint never comes twice.
func TestPruneKeepsOnceKeys(t *testing.T) {
	t.Parallel()
	e := setup(t)
	key := store.OnceKeyPrefix + "celebration-channel-hint"
	claim := func() bool {
		t.Helper()
		var ok bool
		if err := e.s.WithTx(t.Context(), func(tx *sqlx.Tx) error {
			var err error
			ok, err = e.s.ClaimKey(t.Context(), tx, e.team, key)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return ok
	}
	if !claim() {
		t.Fatal("first claim refused")
	}
	now := time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC)
	if _, err := e.db.ExecContext(t.Context(), `UPDATE handled_keys SET created_at = $3 WHERE workspace_id = $1 AND key = $2`, e.team, key, now.AddDate(-1, 0, 0)); err != nil {
		t.Fatal(err)
	}
	if _, err := e.s.PruneHandledKeys(t.Context(), e.db, now.AddDate(0, 0, -7)); err != nil {
		t.Fatal(err)
	}
	if claim() {
		t.Error("a once key was pruned: the hint would come again")
	}
}
