package outbox_test

import (
	"testing"

	"salesbot/internal/pgtest"
	"salesbot/outbox"
)

// jobState is the state of the one outbox job of team, "" when there is none.
func (e *env) jobState(team string) string {
	e.t.Helper()
	var state []string
	if err := e.db.SelectContext(e.t.Context(), &state,
		`SELECT state FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1`, team); err != nil {
		e.t.Fatal(err)
	}
	if len(state) != 1 {
		e.t.Fatalf("team %s has %d outbox jobs, want 1", team, len(state))
	}
	return state[0]
}

// A process works only the jobs of the workspaces it serves: a `salesbot
// dev` on a shared database must not deliver a real workspace's messages.
func TestOutboxWorksOnlyTheWorkspacesItServes(t *testing.T) {
	t.Parallel()
	e := setup(t) // e.team is B, the workspace served
	other := pgtest.TeamID()

	// Both messages wait in the table before the process starts, so its
	// first fetch would take both if it could.
	enq, err := outbox.New(outbox.Config{DB: e.db.DB, Poster: e.api})
	if err != nil {
		t.Fatal(err)
	}
	e.enqueue(enq, true,
		e.message("C0OTHER", "A's announcement", func(m *outbox.Message) { m.TeamID = other }),
		e.message("C0MINE", "B's announcement"))

	e.start(e.config(nil))
	e.waitJobs(1, "completed")
	if msgs := e.fake.Messages("C0MINE"); len(msgs) != 1 || msgs[0].Text != "B's announcement" {
		t.Fatalf("B's channel = %+v, want B's announcement", msgs)
	}
	if got := e.jobState(other); got != "available" {
		t.Errorf("A's job is %s, want available (untouched)", got)
	}
	if msgs := e.fake.Messages("C0OTHER"); len(msgs) != 0 {
		t.Errorf("A's announcement was delivered by B's process: %+v", msgs)
	}
}

// Jobs waiting in the shared queues of earlier versions are moved to their
// workspace's queue by a process serving it, and worked there; another
// workspace's stay where they are.
func TestOutboxAdoptsItsWorkspacesJobsFromTheSharedQueue(t *testing.T) {
	e := setup(t)
	other := pgtest.TeamID()
	enq, err := outbox.New(outbox.Config{DB: e.db.DB, Poster: e.api})
	if err != nil {
		t.Fatal(err)
	}
	e.enqueue(enq, true,
		e.message("C0OTHER", "A's old message", func(m *outbox.Message) { m.TeamID = other }),
		e.message("C0MINE", "B's old message"))
	// As an earlier version left them: in the one shared queue.
	if _, err := e.db.ExecContext(t.Context(), `UPDATE river_job SET queue = 'outbox'
		WHERE kind = 'outbox_message' AND args->>'team_id' = ANY($1::text[])`, "{"+e.team+","+other+"}"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// Nobody works the shared queue any more: leave nothing in it.
		e.db.Exec(`DELETE FROM river_job WHERE queue = 'outbox' AND args->>'team_id' = $1`, other)
	})

	e.start(e.config(nil))
	e.waitJobs(1, "completed")
	if msgs := e.waitMessages("C0MINE", 1); msgs[0].Text != "B's old message" {
		t.Fatalf("B's channel = %+v", msgs)
	}
	var queue, state string
	if err := e.db.QueryRowContext(t.Context(), `SELECT queue, state FROM river_job
		WHERE kind = 'outbox_message' AND args->>'team_id' = $1`, other).Scan(&queue, &state); err != nil {
		t.Fatal(err)
	}
	if queue != "outbox" || state != "available" {
		t.Errorf("A's job is in %s, %s; want left in outbox, available", queue, state)
	}
}

// Every Slack team ID names a queue River accepts, and anything else is
// refused before it reaches River.
func TestTeamsNameValidRiverQueues(t *testing.T) {
	t.Parallel()
	e := setup(t)
	for _, team := range []string{"T0123ABCD", "E0ORG", e.team} {
		if _, err := outbox.New(outbox.Config{DB: e.db.DB, Poster: e.api, Teams: []string{team}}); err != nil {
			t.Errorf("Teams %q: %v", team, err)
		}
	}
	for _, bad := range []string{"", "T0/../x", "T0 A", "t0_a"} {
		if _, err := outbox.New(outbox.Config{DB: e.db.DB, Poster: e.api, Teams: []string{bad}}); err == nil {
			t.Errorf("Teams %q accepted", bad)
		}
	}
}
