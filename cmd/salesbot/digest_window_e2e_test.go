package main

import (
	"strings"
	"testing"

	"salesbot/internal/pgtest"
	"salesbot/pipeline"
)

// The digest goes out on working days only, so Monday's covers Friday and
// the weekend, read in the workspace's timezone; Tuesday's covers Monday.
func TestDigestCoversSincePreviousWorkingDay(t *testing.T) {
	h := setup(t)
	if _, err := h.svc.store.EnsureWorkspace(h.ctx, h.svc.store.DB(), h.team, pipeline.Settings{}); err != nil {
		t.Fatal(err)
	}
	// Mon–Fri (the default) in New York, on daylight time (UTC−4) in June.
	h.sql(`UPDATE workspace_settings SET timezone = 'America/New_York', working_days = '{1,2,3,4,5}' WHERE workspace_id = $1`, h.team)
	h.sql(`INSERT INTO users (workspace_id, id, role) VALUES ($1, 'U0REP', 'rep')`, h.team)
	h.sql(`INSERT INTO accounts (workspace_id, name) VALUES ($1, 'Acme')`, h.team)
	for _, x := range []struct {
		title, stage, created string
		closed                *string
	}{
		{"Thursday night lead", "lead", "2026-06-12T03:00:00Z", nil}, // Thu 23:00 local
		{"Friday lead", "lead", "2026-06-12T05:00:00Z", nil},
		{"Sunday night lead", "lead", "2026-06-15T03:30:00Z", nil}, // Sun 23:30 local
		{"Monday lead", "lead", "2026-06-15T04:30:00Z", nil},
		{"Saturday win", "won", "2026-06-01T12:00:00Z", new("2026-06-13T15:00:00Z")},
	} {
		h.sql(`INSERT INTO deals (workspace_id, number, title, account_id, stage, amount_minor, currency, owner_id, created_by,
		                          created_at, last_activity_at, closed_at)
			SELECT $1, w.next_deal_number, $2, a.id, $3, 900000, 'USD', 'U0REP', 'U0REP', $4::timestamptz, $4::timestamptz, $5::timestamptz
			FROM workspaces w, accounts a WHERE w.id = $1 AND a.workspace_id = $1`,
			h.team, x.title, x.stage, x.created, x.closed)
		h.sql(`UPDATE workspaces SET next_deal_number = next_deal_number + 1 WHERE id = $1`, h.team)
	}
	env := map[string]string{"DATABASE_URL": pgtest.URL(t)}
	code, out, stderr := runWith(t, env, "digest", "--print", "--team", h.team, "--day", "2026-06-15")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	wantAll(t, "Monday's digest", out, "Since Friday (Fri Jun 12)", "2 new leads ·", "Friday lead", "Sunday night lead",
		"1 won ($9,000)", "Saturday win")
	for _, not := range []string{"Thursday night lead", "Monday lead"} {
		if strings.Contains(out, not) {
			t.Errorf("Monday's digest lists %q, outside Friday 00:00 to Monday 00:00 local:\n%s", not, out)
		}
	}
	code, out, stderr = runWith(t, env, "digest", "--print", "--team", h.team, "--day", "2026-06-16")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	wantAll(t, "Tuesday's digest", out, "Yesterday (Mon Jun 15)", "1 new lead ·", "Monday lead", "0 won")
	if strings.Contains(out, "Friday lead") || strings.Contains(out, "Saturday win") {
		t.Errorf("Tuesday's digest repeats Monday's news:\n%s", out)
	}
}
