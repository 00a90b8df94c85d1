package salesdb_test

import (
	"errors"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
)

// offeredAt stamps the pending offer of deal n as made at t.
func (e env) offeredAt(t *testing.T, n int64, at time.Time) {
	t.Helper()
	if _, err := e.db.ExecContext(t.Context(), `UPDATE deals SET handoff_offered_at = $3 WHERE workspace_id = $1 AND number = $2`,
		e.team, n, at); err != nil {
		t.Fatal(err)
	}
}

func (e env) ownerOf(t *testing.T, n int64) string {
	t.Helper()
	d, err := e.st.DealByNumber(t.Context(), e.st.DB(), e.team, n)
	if err != nil {
		t.Fatal(err)
	}
	return d.OwnerID
}

// A routed lead whose rep does not answer within the workspace's timeout,
// counted in working hours, goes to the next rep, and the lead's creator
// hears; when no rep is left it stays, and the creator hears that.
func TestRerouteExpiredHandoffs(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	created, err := e.svc.CreateLead(t.Context(), lead(e.team, "U0ADMIN", "view:V1"))
	if err != nil {
		t.Fatal(err)
	}
	n := created.Deal.Number                                 // the routing rule offered it to U0REP2
	offered := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC) // a Tuesday; the timeout is 4 working hours
	e.offeredAt(t, n, offered)

	if err := e.svc.RerouteExpiredHandoffs(t.Context(), e.team, offered.Add(3*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if owner := e.ownerOf(t, n); owner != "U0REP2" {
		t.Errorf("after 3 working hours the lead is with %s, want still U0REP2", owner)
	}
	// Tuesday 10:00 to Wednesday 10:00 holds 8 working hours.
	if err := e.svc.RerouteExpiredHandoffs(t.Context(), e.team, offered.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if owner := e.ownerOf(t, n); owner != "U0REP1" {
		t.Fatalf("after the timeout the lead is with %s, want U0REP1", owner)
	}
	if got := e.offers(t, "U0REP1", "lead_routed"); got != 1 {
		t.Errorf("offers queued to U0REP1 = %d, want 1", got)
	}
	if got := e.offers(t, "U0ADMIN", "handoff_rerouted"); got != 1 {
		t.Errorf("notices queued to the creator = %d, want 1", got)
	}
	if got := e.count(t, `SELECT count(*) FROM deals WHERE workspace_id = $1 AND number = $2 AND 'U0REP2' = ANY(handoff_declined)`, e.team, n); got != 1 {
		t.Error("U0REP2's lapse is not counted as declining the lead")
	}

	// U0REP1 lets it lapse too: no rep is left, so it stays with them.
	e.offeredAt(t, n, offered.Add(24*time.Hour))
	if err := e.svc.RerouteExpiredHandoffs(t.Context(), e.team, offered.Add(48*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if owner := e.ownerOf(t, n); owner != "U0REP1" {
		t.Errorf("with nobody left the lead went to %s, want it to stay with U0REP1", owner)
	}
	if got := e.offers(t, "U0ADMIN", "handoff_rerouted"); got != 2 {
		t.Errorf("notices queued to the creator = %d, want 2 (the second: nobody can take it)", got)
	}
	if got := e.count(t, `SELECT count(*) FROM river_job WHERE args->>'team_id' = $1 AND args->>'kind' = 'lead_routed'`, e.team); got != 2 {
		t.Errorf("routed offers = %d, want 2 (U0REP2's, then U0REP1's)", got)
	}
}

// Re-routing inside the caller's transaction is undone with it, notices
// included: the scheduler's claim and the re-routing commit together.
func TestRerouteExpiredHandoffsInCallersTx(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	created, err := e.svc.CreateLead(t.Context(), lead(e.team, "U0ADMIN", "view:V1"))
	if err != nil {
		t.Fatal(err)
	}
	n := created.Deal.Number
	offered := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	e.offeredAt(t, n, offered)
	errClaim := errors.New("the claim failed")

	err = e.st.WithTx(t.Context(), func(tx *sqlx.Tx) error {
		if err := e.svc.RerouteExpiredHandoffsTx(t.Context(), tx, e.team, offered.Add(24*time.Hour)); err != nil {
			return err
		}
		return errClaim
	})
	if !errors.Is(err, errClaim) {
		t.Fatalf("err = %v, want the caller's", err)
	}
	if owner := e.ownerOf(t, n); owner != "U0REP2" {
		t.Errorf("after the rollback the lead is with %s, want still U0REP2", owner)
	}
	if got := e.offers(t, "U0REP1", "lead_routed") + e.offers(t, "U0ADMIN", "handoff_rerouted"); got != 0 {
		t.Errorf("%d messages queued by a rolled-back re-routing, want none", got)
	}
}
