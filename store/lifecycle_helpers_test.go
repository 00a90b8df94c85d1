package store_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// inTx runs fn in a transaction of e's store and returns its error.
func (e env) inTx(t *testing.T, fn func(tx *sqlx.Tx) error) error {
	t.Helper()
	return e.s.WithTx(t.Context(), fn)
}

// mustTx runs fn in a transaction and fails the test when it errs.
func (e env) mustTx(t *testing.T, fn func(tx *sqlx.Tx) error) {
	t.Helper()
	if err := e.inTx(t, fn); err != nil {
		t.Fatal(err)
	}
}

// exec runs a statement that sets up a test's rows.
func (e env) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := e.db.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// historyOf returns the deal's history oldest first, each entry as
// "actor action field: old -> new", as the tests compare it.
func (e env) historyOf(t *testing.T, dealID int64) []string {
	t.Helper()
	h, err := e.s.History(t.Context(), e.db, e.team, dealID)
	if err != nil {
		t.Fatalf("history: %v", err)
	}
	out := make([]string, len(h))
	for i, x := range h {
		out[len(h)-1-i] = fmt.Sprintf("%s %s %s: %s -> %s", x.ActorID, x.Action, x.Field, x.OldValue, x.NewValue)
	}
	return out
}

// newHistory is the deal's history after its creation entry.
func (e env) newHistory(t *testing.T, dealID int64) []string {
	t.Helper()
	h := e.historyOf(t, dealID)
	if len(h) == 0 {
		return nil
	}
	return h[1:]
}

func checkHistory(t *testing.T, got, want []string) {
	t.Helper()
	if !slices.Equal(got, want) {
		t.Errorf("history:\n got %q\nwant %q", got, want)
	}
}

// lockDeal reads d again for update in tx.
func (e env) lockDeal(t *testing.T, tx *sqlx.Tx, d pipeline.Deal) pipeline.Deal {
	t.Helper()
	got, err := e.s.DealForUpdate(t.Context(), tx, e.team, d.Number)
	if err != nil {
		t.Fatalf("lock %s: %v", d.Ref(), err)
	}
	return got
}

// move applies a stage change planned by the domain rules, in its own
// transaction, and returns the deal as stored.
func (e env) move(t *testing.T, d pipeline.Deal, m pipeline.Move, actor string) (pipeline.Deal, error) {
	t.Helper()
	var out pipeline.Deal
	err := e.inTx(t, func(tx *sqlx.Tx) error {
		cur := e.lockDeal(t, tx, d)
		c, err := pipeline.PlanMove(cur, pipeline.DefaultStages(), m)
		if err != nil {
			return err
		}
		out, err = e.s.ApplyStageChange(t.Context(), tx, cur, c, actor, dbNow(t, e.db))
		return err
	})
	return out, err
}

func (e env) mustMove(t *testing.T, d pipeline.Deal, m pipeline.Move, actor string) pipeline.Deal {
	t.Helper()
	out, err := e.move(t, d, m, actor)
	if err != nil {
		t.Fatalf("move %s to %s: %v", d.Ref(), m.To, err)
	}
	return out
}
