package store_test

import (
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// Keys older than the cut-off are pruned, newer ones still stop a repeat,
// and a pruned key can be claimed again.
func TestPruneHandledKeys(t *testing.T) {
	t.Parallel()
	e := setup(t)
	claim := func(key string) bool {
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
	if !claim("view:old") || !claim("view:new") {
		t.Fatal("first claims refused")
	}
	// A past "now": pruning before it leaves the keys of tests running
	// alongside, stamped by the database's clock, alone.
	now := time.Date(2026, 1, 12, 9, 0, 0, 0, time.UTC)
	for key, at := range map[string]time.Time{"view:old": now.AddDate(0, 0, -8), "view:new": now} {
		if _, err := e.db.ExecContext(t.Context(), `UPDATE handled_keys SET created_at = $3 WHERE workspace_id = $1 AND key = $2`, e.team, key, at); err != nil {
			t.Fatal(err)
		}
	}
	n, err := e.s.PruneHandledKeys(t.Context(), e.db, now.AddDate(0, 0, -7))
	if err != nil {
		t.Fatal(err)
	}
	if n < 1 {
		t.Errorf("pruned %d keys, want the 8-day-old one", n)
	}
	var left []string
	if err := e.db.SelectContext(t.Context(), &left, `SELECT key FROM handled_keys WHERE workspace_id = $1`, e.team); err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0] != "view:new" {
		t.Errorf("keys left = %q, want view:new", left)
	}
	if claim("view:new") {
		t.Error("a recent key was claimed twice")
	}
	if !claim("view:old") {
		t.Error("a pruned key cannot be claimed again")
	}
}
