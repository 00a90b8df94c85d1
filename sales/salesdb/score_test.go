package salesdb_test

import (
	"testing"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// Rescore computes and stores the score of one deal, or of every open deal
// of the workspace; Rescored returns the deal with the stored score, and
// refuses a deal that is not there.
func TestRescoreStoresTheScores(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	a := e.repDeal(t)
	other := lead(e.team, "U0REP1", "view:other")
	other.OwnerID, other.Company, other.ContactEmail = "U0REP1", "Beta", "bo@beta.example"
	res, err := e.svc.CreateLead(t.Context(), other)
	if err != nil {
		t.Fatal(err)
	}
	b := res.Deal
	zero := func() {
		if _, err := e.db.ExecContext(t.Context(), `UPDATE deals SET score = 0 WHERE workspace_id = $1`, e.team); err != nil {
			t.Fatal(err)
		}
	}
	score := func(d pipeline.Deal) int { return e.count(t, `SELECT score FROM deals WHERE id = $1`, d.ID) }

	zero()
	var one []store.Score
	e.inTx(t, func(tx *sqlx.Tx) error {
		one, err = e.svc.Rescore(t.Context(), tx, e.team, a.ID)
		return err
	})
	if len(one) != 1 || one[0].DealID != a.ID || one[0].Score == 0 || len(one[0].Reasons) == 0 {
		t.Fatalf("Rescore of %s = %+v, want its one score, above 0, with reasons", a.Ref(), one)
	}
	if got := score(a); got != one[0].Score {
		t.Errorf("%s stored score %d, want %d", a.Ref(), got, one[0].Score)
	}
	if got := score(b); got != 0 {
		t.Errorf("%s stored score %d, want it untouched (0)", b.Ref(), got)
	}

	zero()
	var all []store.Score
	e.inTx(t, func(tx *sqlx.Tx) error {
		all, err = e.svc.Rescore(t.Context(), tx, e.team, 0)
		return err
	})
	if len(all) != 2 {
		t.Fatalf("Rescore of the workspace = %+v, want both open deals", all)
	}
	for _, s := range all {
		if got := e.count(t, `SELECT score FROM deals WHERE id = $1`, s.DealID); got != s.Score || got == 0 {
			t.Errorf("deal %d stored score %d, want %d above 0", s.DealID, got, s.Score)
		}
	}

	zero()
	var rescored pipeline.Deal
	e.inTx(t, func(tx *sqlx.Tx) error {
		rescored, err = e.svc.Rescored(t.Context(), tx, b)
		return err
	})
	if rescored.Number != b.Number || rescored.Score == 0 || rescored.Score != score(b) || len(rescored.ScoreReasons) == 0 {
		t.Errorf("Rescored %s: score %d (%q), stored %d; want the stored score, above 0, with reasons",
			b.Ref(), rescored.Score, rescored.ScoreReasons, score(b))
	}

	tx, err := e.db.BeginTxx(t.Context(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	gone := pipeline.Deal{WorkspaceID: e.team, ID: -1, Number: 99}
	if _, err := e.svc.Rescored(t.Context(), tx, gone); err == nil {
		t.Errorf("Rescored of a deal that is not there: no error")
	}
}
