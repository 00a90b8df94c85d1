package store_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/pipeline"
	"salesbot/store"
)

// bigWorkspace is one workspace with 1,000,000 deals, 50,000 of them open
// (the size SPEC §7 sets the digest's targets at), seeded once per test
// process: the seed takes about a minute.
var bigWorkspace struct {
	once sync.Once
	e    env
	now  time.Time
	err  error
}

// The seed, all in SQL. 50 reps, 10,000 accounts; deals 1–50,000 are open,
// spread over the five open stages, idle 0–10 days (about one in
// ten stale), expected to close from
// 60 days ago to 120 days ahead; the rest are closed over three years, a
// third won, a quarter recurring. Every deal has its "created" history row,
// 300 open deals moved stage yesterday, and every tenth deal has a
// follow-up (one in twenty of them still open). Every account is a
// customer; one in a hundred has churned.
var bigSeed = []string{
	`INSERT INTO users (workspace_id, id, role) SELECT $1, 'U' || lpad(g::text, 4, '0'), 'rep' FROM generate_series(1, 50) g`,
	`INSERT INTO accounts (workspace_id, name) SELECT $1, 'Account ' || g FROM generate_series(1, 10000) g`,
	`INSERT INTO deals (workspace_id, number, title, account_id, stage, amount_minor, currency, recurring, owner_id, created_by,
	                    created_at, last_activity_at, closed_at, expected_close, won_amount_minor)
	 SELECT $1, g, 'Deal ' || g, a.ids[g % 10000 + 1],
	        CASE WHEN g <= 50000 THEN (ARRAY['lead', 'qualified', 'needs_assessment', 'proposal', 'negotiation'])[g % 5 + 1]
	             WHEN g % 3 = 0 THEN 'won' ELSE 'lost' END,
	        (g % 1000 + 1) * 10000, 'USD', g % 4 = 0, o.id, o.id,
	        c.closed - make_interval(days => g % 90 + 1),
	        CASE WHEN g <= 50000 THEN $2::timestamptz - make_interval(days => g % 10, mins => g % 1440) ELSE c.closed END,
	        CASE WHEN g > 50000 THEN c.closed END,
	        CASE WHEN g <= 50000 THEN ($2::timestamptz)::date + (g % 180 - 60) END,
	        CASE WHEN g > 50000 AND g % 3 = 0 THEN (g % 1000 + 1) * 10000 END
	 FROM generate_series(1, 1000000) g
	 CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids FROM accounts WHERE workspace_id = $1) a
	 CROSS JOIN LATERAL (SELECT 'U' || lpad((g % 50 + 1)::text, 4, '0') AS id) o
	 CROSS JOIN LATERAL (SELECT CASE WHEN g <= 50000 THEN $2::timestamptz - make_interval(days => g % 120 - 1)
	                                 ELSE $2::timestamptz - make_interval(days => g % 1095, secs => g % 86400) END AS closed) c`,
	`UPDATE workspaces SET next_deal_number = 1000001 WHERE id = $1`,
	`INSERT INTO deal_history (workspace_id, deal_id, action, created_at)
	 SELECT workspace_id, id, 'created', created_at FROM deals WHERE workspace_id = $1`,
	`INSERT INTO deal_history (workspace_id, deal_id, action, field, old_value, new_value, created_at)
	 SELECT workspace_id, id, 'stage', 'stage', 'lead', stage, $2::timestamptz - interval '1 day'
	 FROM deals WHERE workspace_id = $1 AND number <= 300`,
	`INSERT INTO follow_ups (workspace_id, deal_id, owner_id, due_at, done_at)
	 SELECT workspace_id, id, owner_id, created_at + interval '3 days',
	        CASE WHEN number % 200 <> 0 THEN created_at + interval '3 days' END
	 FROM deals WHERE workspace_id = $1 AND number % 10 = 0`,
	`UPDATE accounts SET is_customer = true, customer_since = $2::timestamptz - interval '1000 days',
	        churned_at = CASE WHEN id % 100 = 0 THEN $2::timestamptz - interval '10 days' END
	 WHERE workspace_id = $1`,
	`VACUUM ANALYZE`,
}

func seedBigWorkspace(b *testing.B) (env, time.Time) {
	b.Helper()
	bigWorkspace.once.Do(func() {
		db := pgtest.New(b)
		e := env{s: store.New(db), db: db, team: pgtest.TeamID()}
		now := time.Now().UTC().Truncate(time.Second)
		bigWorkspace.e, bigWorkspace.now = e, now
		if _, bigWorkspace.err = e.s.EnsureWorkspace(context.Background(), e.db, e.team, pipeline.Settings{}); bigWorkspace.err != nil {
			return
		}
		start := time.Now()
		for _, q := range bigSeed {
			args := []any{e.team, now}
			switch {
			case !strings.Contains(q, "$1"):
				args = nil
			case !strings.Contains(q, "$2"):
				args = args[:1]
			}
			if _, err := db.ExecContext(context.Background(), q, args...); err != nil {
				bigWorkspace.err = err
				return
			}
		}
		b.Logf("seeded 1,000,000 deals (50,000 open) in %v", time.Since(start).Round(time.Second))
	})
	if bigWorkspace.err != nil {
		b.Fatalf("seed: %v", bigWorkspace.err)
	}
	return bigWorkspace.e, bigWorkspace.now
}

// BenchmarkDigestQueries times the daily digest's queries, the stale-deal
// scan and the due follow-ups on a workspace of 1,000,000 deals (50,000
// open), each as ms/op (SPEC §7 target: under 250 ms each), and fails if
// any plan reads deals with a sequential scan. Only runs when -bench selects it.
func BenchmarkDigestQueries(b *testing.B) {
	if testing.Short() {
		b.Skip("seeds a million deals")
	}
	e, now := seedBigWorkspace(b)
	ctx := context.Background()
	day := pipeline.DayOf(now.AddDate(0, 0, -1))
	month, quarter := pipeline.MonthOf(now), pipeline.QuarterOf(now)
	one := []string{"U0001"}
	queries := []struct {
		name string
		run  func() error
	}{
		{"stale_scan", func() error { _, err := e.s.StaleDeals(ctx, e.db, e.team, now); return err }},
		{"due_followups", func() error { _, err := e.s.DueFollowUps(ctx, e.db, e.team, now, 500); return err }},
		{"new_leads", func() error {
			_, _, err := e.s.NewDeals(ctx, e.db, e.team, nil, day, pipeline.DigestListLimit)
			return err
		}},
		{"stage_moves", func() error {
			_, _, err := e.s.StageMoves(ctx, e.db, e.team, nil, day, pipeline.DigestListLimit)
			return err
		}},
		{"won_lost", func() error { _, err := e.s.ClosedIn(ctx, e.db, e.team, nil, day, 200); return err }},
		{"pipeline_by_stage", func() error { _, err := e.s.OpenByStage(ctx, e.db, e.team, nil); return err }},
		{"pipeline_by_stage_one_rep", func() error { _, err := e.s.OpenByStage(ctx, e.db, e.team, one); return err }},
		{"forecast_month", func() error { _, _, err := e.s.ForecastSums(ctx, e.db, e.team, nil, month); return err }},
		{"forecast_quarter", func() error { _, _, err := e.s.ForecastSums(ctx, e.db, e.team, nil, quarter); return err }},
		{"stale_count", func() error { _, err := e.s.StaleCount(ctx, e.db, e.team, nil, now); return err }},
		{"overdue_count", func() error { _, err := e.s.OverdueCount(ctx, e.db, e.team, nil, now); return err }},
		{"closing_this_month", func() error { _, err := e.s.ClosingIn(ctx, e.db, e.team, nil, month, pipeline.ClosingTop); return err }},
		{"metrics_closed_month", func() error { _, err := e.s.ClosedGroups(ctx, e.db, e.team, nil, month); return err }},
		{"metrics_all_month", func() error { _, err := e.s.MetricsInput(ctx, e.db, e.team, nil, month, "USD"); return err }},
	}
	for _, q := range queries {
		b.Run(q.name, func(b *testing.B) {
			for b.Loop() {
				if err := q.run(); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Microseconds())/1000/float64(b.N), "ms/op")
		})
	}
	checkNoSeqScan(b, e, now)
}

// checkNoSeqScan EXPLAINs each digest and metric query on the big workspace.
func checkNoSeqScan(b *testing.B, e env, now time.Time) {
	m := pipeline.MonthOf(now)
	from, to := m.From.Format(time.DateOnly), m.To.Format(time.DateOnly)
	for name, q := range store.AggregateSQL() {
		args := map[string][]any{
			"open by stage": {e.team, nil}, "open closing": {e.team, nil, from, to}, "closing": {e.team, nil, from, to, 5},
			"won in": {e.team, nil, m.From, m.To}, "closed groups": {e.team, nil, m.From, m.To},
			"arr": {e.team, nil, now}, "stale count": {e.team, nil, now}, "overdue": {e.team, nil, now},
		}[name]
		if args == nil {
			args = []any{e.team, nil, m.From, m.To, 10}
		}
		var plan []string
		if err := e.db.SelectContext(context.Background(), &plan, `EXPLAIN `+q, args...); err != nil {
			b.Fatalf("explain %s: %v", name, err)
		}
		if p := strings.Join(plan, "\n"); strings.Contains(p, "Seq Scan on deals") {
			b.Errorf("%s reads every deal:\n%s", name, p)
		}
	}
}
