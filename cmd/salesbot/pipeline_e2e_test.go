package main

import (
	"bytes"
	"image/png"
	"strings"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/pipeline"
)

// pipelineFixture seeds a workspace (timezone UTC, currency USD) with a
// manager, two reps on their team and deals whose figures the tests work out
// by hand. The bot's clock is pinned at the fixture's now, Wednesday
// 2026-11-18 15:00 UTC.
type pipelineFixture struct {
	*harness
	now, yesterday        time.Time // yesterday: noon UTC of the day before today
	wonYesterdayThisMonth bool
}

func newPipelineFixture(t *testing.T) pipelineFixture {
	now := time.Date(2026, 11, 18, 15, 0, 0, 0, time.UTC)
	h := setupAt(t, now)
	if _, err := h.svc.store.EnsureWorkspace(h.ctx, h.svc.store.DB(), h.team, pipeline.Settings{}); err != nil {
		t.Fatal(err)
	}
	// Every day a working day: the digest covers the day before
	// (digest_window_e2e_test.go covers the weekend).
	h.sql(`UPDATE workspace_settings SET working_days = '{0,1,2,3,4,5,6}' WHERE workspace_id = $1`, h.team)
	h.sql(`INSERT INTO users (workspace_id, id, role) VALUES ($1, 'U0MGR', 'manager'), ($1, 'U0ADMIN', 'admin')`, h.team)
	h.sql(`INSERT INTO users (workspace_id, id, role, manager_id) VALUES ($1, 'U0REP1', 'rep', 'U0MGR'), ($1, 'U0REP2', 'rep', 'U0MGR')`, h.team)
	h.sql(`INSERT INTO accounts (workspace_id, name) VALUES ($1, 'Acme')`, h.team)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	f := pipelineFixture{harness: h, now: now, yesterday: today.Add(-12 * time.Hour)}
	f.wonYesterdayThisMonth = f.yesterday.Month() == now.Month()
	day := now.Format(time.DateOnly)
	days := func(n int) time.Time { return now.Add(-time.Duration(n) * 24 * time.Hour) }
	type d struct {
		title, owner, stage string
		amount              int64
		created, activity   time.Time
		closed              *time.Time
		closeDate           *string
	}
	for _, x := range []d{
		// Open, all expected to close today (this month) but the qualified one.
		{"Lead deal", "U0REP1", "lead", 10_000_00, days(3), days(8), nil, &day}, // idle 8 days: stale (lead: 7)
		{"New qualified", "U0REP1", "qualified", 8_000_00, f.yesterday, f.yesterday, nil, nil},
		{"Proposal deal", "U0REP1", "proposal", 20_000_00, days(3), days(3), nil, &day},
		{"Negotiation deal", "U0REP2", "negotiation", 40_000_00, days(3), days(3), nil, &day},
		// Closed.
		{"Won today", "U0REP2", "won", 5_000_00, days(2), now, &now, nil},
		{"Won yesterday", "U0REP1", "won", 7_000_00, f.yesterday.Add(-5 * 24 * time.Hour), f.yesterday, &f.yesterday, nil},
		{"Lost yesterday", "U0REP2", "lost", 3_000_00, days(10), f.yesterday, &f.yesterday, nil},
	} {
		h.sql(`INSERT INTO deals (workspace_id, number, title, account_id, stage, amount_minor, currency, owner_id, created_by,
		                          created_at, last_activity_at, closed_at, expected_close, lost_reason)
			SELECT $1, w.next_deal_number, $2, a.id, $3, $4, 'USD', $5, $5, $6, $7, $8, $9::date,
			       CASE WHEN $3 = 'lost' THEN 'budget' ELSE '' END
			FROM workspaces w, accounts a WHERE w.id = $1 AND a.workspace_id = $1`,
			h.team, x.title, x.stage, x.amount, x.owner, x.created, x.activity, x.closed, x.closeDate)
		h.sql(`UPDATE workspaces SET next_deal_number = next_deal_number + 1 WHERE id = $1`, h.team)
	}
	h.sql(`INSERT INTO follow_ups (workspace_id, deal_id, owner_id, due_at)
		SELECT workspace_id, id, owner_id, $2 FROM deals WHERE workspace_id = $1 AND title = 'Lead deal'`, h.team, now.Add(-time.Hour))
	return f
}

// closedThisMonth is what was won this month: today's $5,000, and
// yesterday's $7,000 unless yesterday was last month.
func (f pipelineFixture) closedThisMonth() int64 {
	if f.wonYesterdayThisMonth {
		return 12_000_00
	}
	return 5_000_00
}

func usd(minor int64) string { return pipeline.Money{Minor: minor, Currency: "USD"}.String() }

func wantAll(t *testing.T, what, got string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(got, w) {
			t.Errorf("%s does not show %q:\n%s", what, w, got)
		}
	}
}

func TestPipelineTotalsByScope(t *testing.T) {
	f := newPipelineFixture(t)
	// All open deals: lead 10,000 × 5% = 500; qualified 8,000 × 10% = 800;
	// proposal 20,000 × 50% = 10,000; negotiation 40,000 × 75% = 30,000.
	// Total 78,000, weighted 41,300.
	all := f.command("U0ADMIN", "/pipeline", "").all()
	wantAll(t, "/pipeline (admin)", all, "whole workspace", "4 deals", "$78,000", "$41,300", "$30,000", "Negotiation")
	team := f.command("U0MGR", "/pipeline", "team").all()
	wantAll(t, "/pipeline team (manager)", team, "your team", "$78,000", "$41,300")
	// U0REP1: lead, qualified and proposal: 38,000, weighted 11,300.
	mine := f.command("U0REP1", "/pipeline", "").all()
	wantAll(t, "/pipeline (rep)", mine, "your deals", "3 deals", "$38,000", "$11,300")
	if strings.Contains(mine, "$78,000") {
		t.Errorf("a rep sees the whole pipeline:\n%s", mine)
	}
	refused := f.command("U0REP1", "/pipeline", "team").all()
	wantAll(t, "/pipeline team (rep)", refused, "Only managers have a team", "/pipeline mine")
	if strings.Contains(refused, "$") {
		t.Errorf("the refusal shows figures:\n%s", refused)
	}
	wantAll(t, "/pipeline all (manager)", f.command("U0MGR", "/pipeline", "all").all(), "Only admins")
	wantAll(t, "/pipeline bogus", f.command("U0REP1", "/pipeline", "bogus").all(), "/pipeline forecast")
}

func TestPipelineForecastSharesAChart(t *testing.T) {
	f := newPipelineFixture(t)
	// This month: open deals with a close date this month are lead 10,000,
	// proposal 20,000, negotiation 40,000 (the qualified one has none).
	// Weighted = closed + 500 + 10,000 + 30,000; commit = closed + 60,000
	// (proposal and negotiation); best case = closed + 70,000.
	c := f.closedThisMonth()
	got := f.command("U0ADMIN", "/pipeline", "forecast month").all()
	wantAll(t, "/pipeline forecast", got, "Closed", usd(c), "Weighted", usd(c+40_500_00),
		"Commit", usd(c+60_000_00), "Best case", usd(c+70_000_00), "3 open deals", "Chart sent")
	var chart []byte
	for _, file := range f.fake.Files() {
		if file.Completed && file.Name == "forecast.png" {
			chart = file.Data
			if !strings.HasPrefix(file.Channel, "D") {
				t.Errorf("chart shared in %s, want the person's DM", file.Channel)
			}
		}
	}
	if _, err := png.Decode(bytes.NewReader(chart)); err != nil {
		t.Errorf("no PNG chart uploaded through the external upload flow: %v", err)
	}
	wantAll(t, "/pipeline forecast week", f.command("U0ADMIN", "/pipeline", "forecast week").all(), "month", "quarter")
}

func TestPipelineDigestPreview(t *testing.T) {
	f := newPipelineFixture(t)
	c := f.closedThisMonth()
	got := f.command("U0ADMIN", "/pipeline", "digest").all()
	// Yesterday: one new lead (the qualified deal), one won ($7,000), one
	// lost; now: the pipeline of TestPipelineTotalsByScope, one stale deal
	// (the lead, idle 8 days), one overdue follow-up; the month's forecast
	// as in TestPipelineForecastSharesAChart; the largest deal closing this
	// month is the $40,000 negotiation.
	wantAll(t, "/pipeline digest", got,
		"Daily digest", "Yesterday (", "1 new lead", "New qualified", "1 won ($7,000)", "1 lost", "Lost yesterday",
		"$78,000", "$41,300", "1 stale deal", "1 overdue follow-up",
		"weighted "+usd(c+40_500_00), "commit "+usd(c+60_000_00), "best case "+usd(c+70_000_00),
		"Top deals closing this month", "Negotiation deal", "only you can see this")
	if i, j := strings.Index(got, "Negotiation deal"), strings.Index(got, "Proposal deal"); i > j {
		t.Errorf("closing this month is not largest first:\n%s", got)
	}
	// A rep's preview covers only their deals: 38,000 open.
	wantAll(t, "/pipeline digest (rep)", f.command("U0REP1", "/pipeline", "digest").all(), "$38,000")
}

func TestPipelineMetricsLeaderboardAndStale(t *testing.T) {
	f := newPipelineFixture(t)
	// Last 30 days: won 5,000 (U0REP2) and 7,000 (U0REP1), lost 3,000:
	// win rate 2/3; average deal 6,000; cycle (2 + 5) / 2 = 3.5 days.
	m := f.command("U0ADMIN", "/pipeline", "metrics last 30 days").all()
	wantAll(t, "/pipeline metrics", m, "66.7% (2 won, 1 lost)", "$12,000", "Average deal size: $6,000", "3.5 days")
	wantAll(t, "/pipeline metrics fortnight", f.command("U0ADMIN", "/pipeline", "metrics fortnight").all(), "unknown period", "last 7/30/90 days")
	lb := f.command("U0REP1", "/pipeline", "leaderboard last 30 days").all()
	wantAll(t, "/pipeline leaderboard", lb, "<@U0REP1> — $7,000", "<@U0REP2> — $5,000", "Funnel")
	if strings.Index(lb, "U0REP1> —") > strings.Index(lb, "U0REP2> —") {
		t.Errorf("leaderboard not by won amount:\n%s", lb)
	}
	wantAll(t, "/pipeline stale", f.command("U0MGR", "/pipeline", "stale").all(), "Lead deal", "idle 8 days")
	if got := f.command("U0REP2", "/pipeline", "stale").all(); !strings.Contains(got, "No stale deals") {
		t.Errorf("U0REP2 has no stale deal, got:\n%s", got)
	}
}

// salesbot digest --print renders the same digest to the terminal, without
// Slack's markup.
func TestDigestPrint(t *testing.T) {
	f := newPipelineFixture(t)
	env := map[string]string{"DATABASE_URL": pgtest.URL(t)}
	code, out, stderr := runWith(t, env, "digest", "--print", "--team", f.team, "--day", f.now.Format(time.DateOnly))
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	t.Logf("salesbot digest --print:\n%s", out)
	wantAll(t, "digest --print", out, "Daily digest", "1 new lead", "Pipeline by stage", "$78,000", "$41,300", "1 stale deal")
	if strings.Contains(out, "&amp;") || strings.Contains(out, "```") {
		t.Errorf("terminal text keeps Slack markup:\n%s", out)
	}
	// A day in the past: yesterday's digest covers the day before, when
	// only the deal won today was created (48 hours ago).
	code, out, _ = runWith(t, env, "digest", "--print", "--team", f.team, "--day", f.yesterday.Format(time.DateOnly))
	if code != 0 || !strings.Contains(out, "1 new lead ·") || !strings.Contains(out, "Won today") {
		t.Errorf("--day yesterday: exit %d, want the one deal created the day before:\n%s", code, out)
	}
	for _, args := range [][]string{{"digest", "--team", f.team}, {"digest", "--print"}, {"digest", "--print", "--team", f.team, "--day", "tomorrow"}} {
		if code, _, stderr := runWith(t, env, args...); code != 2 || stderr == "" {
			t.Errorf("%v: exit %d (%q), want 2 with a reason", args, code, stderr)
		}
	}
	if code, _, stderr := runWith(t, env, "digest", "--print", "--team", "TNOSUCH"); code != 1 || !strings.Contains(stderr, "has not seen") {
		t.Errorf("unknown team: exit %d, %q", code, stderr)
	}
}
