package scheduler_test

import (
	"context"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/outbox"
	"salesbot/pipeline"
)

// A process ticks only the workspaces it serves: with another workspace
// due at the same time on the same database, its ticker inserts none of
// that workspace's occurrences, and puts its own on its own queue.
// Not parallel: each round of Loop prunes old runs and keys of every
// workspace, by its own pinned clock.
func TestLoopTicksOnlyTheWorkspaceItServes(t *testing.T) {
	settings := pipeline.Settings{Timezone: "UTC", DigestChannel: "C0DIGEST"}
	e := setup(t, 1, settings)
	other := pgtest.TeamID()
	settings.WorkspaceID = other
	if _, err := e.st.EnsureWorkspace(t.Context(), e.st.DB(), other, settings); err != nil {
		t.Fatal(err)
	}
	e.clock.Set(utc("2027-01-11T09:00:00Z")) // a Monday: every job is due in both

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- e.insts[0].s.Loop(ctx) }()
	count := func(team string) (all, onQueue int) {
		t.Helper()
		err := e.db.QueryRowContext(t.Context(), `SELECT count(*), count(*) FILTER (WHERE queue = $2)
			FROM river_job WHERE kind = 'scheduler_occurrence' AND args->>'team_id' = $1`,
			team, outbox.QueueFor(outbox.QueueScheduler, team)).Scan(&all, &onQueue)
		if err != nil {
			t.Fatal(err)
		}
		return all, onQueue
	}
	// Loop ticks as it starts; wait for that tick's occurrences.
	wait, cancelWait := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancelWait()
	for n, _ := count(e.team); n == 0; n, _ = count(e.team) {
		select {
		case <-time.After(20 * time.Millisecond):
		case <-wait.Done():
			t.Fatal("the served workspace's occurrences were never inserted")
		}
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Loop: %v", err)
	}
	if all, onQueue := count(e.team); all != onQueue {
		t.Errorf("%d of the served workspace's %d occurrences are on another queue", all-onQueue, all)
	}
	if n, _ := count(other); n != 0 {
		t.Errorf("the process inserted %d occurrences of a workspace it does not serve", n)
	}
}
