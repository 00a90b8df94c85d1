package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/lib/pq"

	"salesbot/pipeline"
	"salesbot/store"
)

// StaleDealsIn reads only the scope's stale deals, at most limit of them,
// in StaleDeals' order; StaleCount counts the same scope.
func TestStaleDealsIn(t *testing.T) {
	t.Parallel()
	e := setup(t)
	lead := func(owner, company string) pipeline.Deal {
		return mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) {
			l.OwnerID, l.Company, l.ContactEmail = owner, company, "jane@"+strings.ToLower(company)+".example"
		}))
	}
	a, b, c := lead("U0REP1", "Acme"), lead("U0REP1", "Globex"), lead("U0REP1", "Initech")
	other := lead("U0REP2", "Umbrella")
	// All last active at once: StaleDeals' order is then the deals'.
	active := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	if _, err := e.db.ExecContext(t.Context(), `UPDATE deals SET last_activity_at = $2 WHERE workspace_id = $1`, e.team, active); err != nil {
		t.Fatal(err)
	}
	now := active.Add(8 * 24 * time.Hour) // past a lead's 7 days
	check := func(what string, owners []string, limit int, want ...pipeline.Deal) {
		t.Helper()
		got, err := e.s.StaleDealsIn(t.Context(), e.db, e.team, owners, now, limit)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		if strings.Join(refs(got), " ") != strings.Join(refs(want), " ") {
			t.Errorf("%s = %v, want %v", what, refs(got), refs(want))
		}
	}
	check("whole workspace, first 2", nil, 2, a, b)
	check("whole workspace", nil, 25, a, b, c, other)
	check("U0REP2's", []string{"U0REP2"}, 25, other)
	check("U0REP1's, first 1", []string{"U0REP1"}, 1, a)
	check("nobody's", []string{"U0NOONE"}, 25)
	for _, tc := range []struct {
		owners []string
		want   int
	}{{nil, 4}, {[]string{"U0REP1"}, 3}, {[]string{"U0REP2"}, 1}} {
		if n, err := e.s.StaleCount(t.Context(), e.db, e.team, tc.owners, now); err != nil || n != tc.want {
			t.Errorf("stale count of %v = %d, %v; want %d", tc.owners, n, err, tc.want)
		}
	}
}

// Both scoped scans read open deals through an index, never the whole
// table of deals ever closed.
func TestStaleDealsInUsesOpenDealsIndex(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	seedClosedDeals(t, e, d, 20000)
	if _, err := e.db.ExecContext(t.Context(), `ANALYZE deals`); err != nil {
		t.Fatal(err)
	}
	all, owners := store.StaleScopeSQL()
	for name, q := range map[string][]any{
		all:    {e.team, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), 25},
		owners: {e.team, time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC), pq.StringArray{d.OwnerID}, 25},
	} {
		var plan []string
		if err := e.db.SelectContext(t.Context(), &plan, `EXPLAIN `+name, q...); err != nil {
			t.Fatalf("explain: %v", err)
		}
		text := strings.Join(plan, "\n")
		if !strings.Contains(text, " deals_open_") || strings.Contains(text, "Seq Scan on deals") {
			t.Errorf("scoped stale scan does not use an open-deals index:\n%s\n%s", name, text)
		}
	}
}
