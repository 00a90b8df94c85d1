package store_test

import (
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/store"
)

func TestStaleDeals(t *testing.T) {
	t.Parallel()
	e := setup(t)
	idle := mustCreate(t, e.s, newLead(e.team))
	snoozed := mustCreate(t, e.s, newLead(e.team))
	qualified := mustCreate(t, e.s, newLead(e.team))
	won := mustCreate(t, e.s, newLead(e.team))
	exec := func(q string, args ...any) {
		t.Helper()
		if _, err := e.db.ExecContext(t.Context(), q, args...); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	active := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	exec(`UPDATE deals SET last_activity_at = $2 WHERE workspace_id = $1`, e.team, active)
	now := active.Add(8 * 24 * time.Hour) // past lead's 7 days, not qualified's 10
	exec(`UPDATE deals SET snoozed_until = $2 WHERE id = $1`, snoozed.ID, now.Add(time.Hour))
	exec(`UPDATE deals SET stage = 'qualified' WHERE id = $1`, qualified.ID)
	exec(`UPDATE deals SET stage = 'won', closed_at = now() WHERE id = $1`, won.ID)
	got, err := e.s.StaleDeals(t.Context(), e.db, e.team, now)
	if err != nil {
		t.Fatalf("stale deals: %v", err)
	}
	if len(got) != 1 || got[0].ID != idle.ID || got[0].AccountName != "Acme Corp" {
		t.Errorf("stale = %v, want only %s", refs(got), idle.Ref())
	}
	if got, _ := e.s.StaleDeals(t.Context(), e.db, e.team, active.Add(time.Hour)); len(got) != 0 {
		t.Errorf("stale an hour after the last activity = %v, want none", refs(got))
	}
}

// The stale scan must read open deals through a partial index, never the
// whole table: a workspace keeps every deal it ever closed.
func TestStaleScanUsesOpenDealsIndex(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	seedClosedDeals(t, e, d, 20000)
	if _, err := e.db.ExecContext(t.Context(), `ANALYZE deals`); err != nil {
		t.Fatal(err)
	}
	var plan []string
	if err := e.db.SelectContext(t.Context(), &plan, `EXPLAIN `+store.StaleDealsSQL(), e.team, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("explain: %v", err)
	}
	text := strings.Join(plan, "\n")
	if !strings.Contains(text, " deals_open_") || strings.Contains(text, "Seq Scan on deals") {
		t.Errorf("stale scan plan does not use an open-deals index:\n%s", text)
	}
}

func refs(ds []pipeline.Deal) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Ref()
	}
	return out
}

// seedClosedDeals adds n deals closed long ago on d's account, the history a
// workspace keeps forever, so that plans are checked against a table mostly
// made of closed deals.
func seedClosedDeals(t *testing.T, e env, d pipeline.Deal, n int) {
	t.Helper()
	if _, err := e.db.ExecContext(t.Context(), `
		INSERT INTO deals (workspace_id, number, title, account_id, stage, currency, owner_id, created_by,
		                   created_at, last_activity_at, closed_at)
		SELECT $1, 100 + g, 'Closed deal', $2, CASE WHEN g % 3 = 0 THEN 'won' ELSE 'lost' END, 'USD', $3, $3,
		       now() - interval '400 days', now() - interval '300 days', now() - interval '300 days'
		FROM generate_series(1, $4::int) AS g`, e.team, d.AccountID, d.OwnerID, n); err != nil {
		t.Fatalf("insert closed deals: %v", err)
	}
}
