package scheduler_test

import (
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/scheduler"
)

// The tick job prunes handled request keys older than a week, so the table
// does not grow forever; a recent key is kept.
// Not parallel: the prune it runs deletes old runs and keys of every
// workspace, by its own pinned clock.
func TestTickPrunesHandledKeys(t *testing.T) {
	off := map[string]bool{}
	for _, j := range []string{pipeline.JobFollowUps, pipeline.JobCheckins, pipeline.JobHandoff, pipeline.JobStale,
		pipeline.JobClosePassed, pipeline.JobDigest, pipeline.JobLeaderboard} {
		off[j] = false // nothing to run: the tick only prunes
	}
	e := setup(t, 1, pipeline.Settings{Timezone: "UTC", Jobs: off})
	for _, key := range []string{"view:old", "view:new"} {
		if err := e.st.WithTx(t.Context(), func(tx *sqlx.Tx) error {
			_, err := e.st.ClaimKey(t.Context(), tx, e.team, key)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	now := utc("2027-01-12T09:00:00Z")
	e.exec(`UPDATE handled_keys SET created_at = $2 WHERE workspace_id = $1 AND key = 'view:old'`, e.team, now.Add(-7*24*time.Hour-time.Hour))
	e.exec(`UPDATE handled_keys SET created_at = $2 WHERE workspace_id = $1 AND key = 'view:new'`, e.team, now.Add(-time.Hour))
	e.clock.Set(now)
	if err := scheduler.RunTickJob(t.Context(), e.insts[0].s); err != nil {
		t.Fatal(err)
	}
	var left []string
	if err := e.db.SelectContext(t.Context(), &left, `SELECT key FROM handled_keys WHERE workspace_id = $1`, e.team); err != nil {
		t.Fatal(err)
	}
	if len(left) != 1 || left[0] != "view:new" {
		t.Errorf("keys left after the tick = %q, want view:new only", left)
	}
}
