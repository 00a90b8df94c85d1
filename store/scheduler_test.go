package store_test

import (
	"strings"
	"testing"
	"time"

	"salesbot/store"
)

// The scheduler's scans read open deals and due follow-ups through partial
// indexes, never the whole table: a workspace keeps every deal it ever
// closed and every follow-up ever done.
func TestSchedulerScansUseIndexes(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	seedClosedDeals(t, e, d, 20000)
	if _, err := e.db.ExecContext(t.Context(), `
		INSERT INTO follow_ups (workspace_id, deal_id, owner_id, due_at, done_at)
		SELECT $1, $2, $3, now() - interval '300 days', now() - interval '299 days'
		FROM generate_series(1, 20000)`, e.team, d.ID, d.OwnerID); err != nil {
		t.Fatalf("insert done follow-ups: %v", err)
	}
	if _, err := e.db.ExecContext(t.Context(), `ANALYZE deals; ANALYZE follow_ups`); err != nil {
		t.Fatal(err)
	}
	stale, due, closePassed := store.SchedulerSQL()
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	day := now.Format(time.DateOnly)
	for _, c := range []struct {
		name, query, index, table string
		args                      []any
	}{
		{"stale", stale, " deals_open_", "deals", []any{e.team, now, day}},
		{"due follow-ups", due, "_due_idx on follow_ups", "follow_ups", []any{e.team, now, 500}},
		{"close passed", closePassed, " deals_open_close_idx", "deals", []any{e.team, day}},
	} {
		var plan []string
		if err := e.db.SelectContext(t.Context(), &plan, `EXPLAIN `+c.query, c.args...); err != nil {
			t.Fatalf("explain %s: %v", c.name, err)
		}
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, c.index) || strings.Contains(text, "Seq Scan on "+c.table) {
			t.Errorf("%s plan does not use%s:\n%s", c.name, c.index, text)
		}
	}
}
