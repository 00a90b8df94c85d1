package scheduler_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// router stands in for the commands' re-routing: it changes the
// workspace's deals in the transaction it is given, then fails if told to.
type router struct {
	fail  bool
	calls int
}

func (r *router) RerouteExpiredHandoffsTx(ctx context.Context, tx *sqlx.Tx, teamID string, _ time.Time) error {
	r.calls++
	if _, err := tx.ExecContext(ctx, `UPDATE deals SET title = title || ' rerouted' WHERE workspace_id = $1`, teamID); err != nil {
		return err
	}
	if r.fail {
		return errors.New("routing failed")
	}
	return nil
}

// A handoff occurrence re-routes in the transaction that claims it: a
// re-routing that fails leaves neither its changes nor the claim, and a
// claimed occurrence does not re-route again.
func TestHandoffReroutesInsideItsClaim(t *testing.T) {
	t.Parallel()
	r := &router{fail: true}
	e := setupRouted(t, 1, pipeline.Settings{Timezone: "UTC"}, r)
	d := e.deal("U0REP", "Acme")
	at := utc("2027-01-11T09:15:00Z")
	e.clock.Set(at)
	s := e.insts[0].s
	state := func() (title string, runs int) {
		t.Helper()
		if err := e.db.GetContext(t.Context(), &title, `SELECT title FROM deals WHERE id = $1`, d.ID); err != nil {
			t.Fatal(err)
		}
		if err := e.db.GetContext(t.Context(), &runs, `SELECT count(*) FROM scheduler_runs WHERE workspace_id = $1 AND job = $2`,
			e.team, pipeline.JobHandoff); err != nil {
			t.Fatal(err)
		}
		return title, runs
	}

	if err := s.Run(t.Context(), pipeline.JobHandoff, e.team, at); err == nil {
		t.Fatal("a failed re-routing: Run = nil, want its error (River retries)")
	}
	if title, runs := state(); title != "Acme deal" || runs != 0 {
		t.Errorf("after a failed re-routing: title %q and %d runs, want %q and none", title, runs, "Acme deal")
	}

	r.fail = false
	for range 2 {
		if err := s.Run(t.Context(), pipeline.JobHandoff, e.team, at); err != nil {
			t.Fatal(err)
		}
	}
	if title, runs := state(); title != "Acme deal rerouted" || runs != 1 || r.calls != 2 {
		t.Errorf("after the retry and a redelivery: title %q, %d runs, %d re-routings; want %q, 1 and 2",
			title, runs, r.calls, "Acme deal rerouted")
	}
}
