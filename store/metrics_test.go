package store_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/store"
)

// seedDeal is a deal as a metrics test writes it, straight into the table.
type seedDeal struct {
	owner, stage, currency string
	amount                 int64
	won                    *int64 // won_amount_minor
	recurring              bool
	account                int64
	created, closed        time.Time // closed zero for open deals
	closeDate              string    // expected_close, "" = none
	activity               time.Time // last_activity_at, zero = created
}

func (e env) seed(t *testing.T, deals ...seedDeal) []int64 {
	t.Helper()
	var ids []int64
	for _, d := range deals {
		var closed *time.Time
		if !d.closed.IsZero() {
			closed = &d.closed
		}
		var closeDate *string
		if d.closeDate != "" {
			closeDate = &d.closeDate
		}
		activity := d.activity
		if activity.IsZero() {
			activity = d.created
		}
		var id int64
		err := e.db.GetContext(t.Context(), &id, `
			INSERT INTO deals (workspace_id, number, title, account_id, stage, amount_minor, currency, recurring,
			                   owner_id, created_by, created_at, last_activity_at, closed_at, expected_close, won_amount_minor)
			SELECT $1, w.next_deal_number, 'Deal', $2, $3, $4, $5, $6, $7, $7, $8, $9, $10, $11::date, $12
			FROM workspaces w WHERE w.id = $1
			RETURNING id`,
			e.team, d.account, d.stage, d.amount, d.currency, d.recurring, d.owner, d.created, activity, closed, closeDate, d.won)
		if err != nil {
			t.Fatalf("seed deal: %v", err)
		}
		e.exec(t, `UPDATE workspaces SET next_deal_number = next_deal_number + 1 WHERE id = $1`, e.team)
		ids = append(ids, id)
	}
	return ids
}

func (e env) account(t *testing.T, name string, since, churned *time.Time) int64 {
	t.Helper()
	var id int64
	if err := e.db.GetContext(t.Context(), &id, `
		INSERT INTO accounts (workspace_id, name, is_customer, customer_since, churned_at)
		VALUES ($1, $2, $3::timestamptz IS NOT NULL, $3, $4) RETURNING id`, e.team, name, since, churned); err != nil {
		t.Fatalf("account: %v", err)
	}
	return id
}

func ptr[T any](v T) *T { return &v }

// metricsFixture is November 2026 in New York, with deals closed on both
// sides of the month's boundaries, recurring and one-off deals, three
// currencies and a churned customer. The figures the tests expect are
// worked out by hand in their comments.
type metricsFixture struct {
	env
	nov, q4 pipeline.Period
	loc     *time.Location
}

func newMetricsFixture(t *testing.T) metricsFixture {
	e := setup(t)
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	e.exec(t, `UPDATE workspace_settings SET timezone = 'America/New_York', default_commission_bps = 1000 WHERE workspace_id = $1`, e.team)
	e.exec(t, `INSERT INTO users (workspace_id, id, role) VALUES ($1, 'U1', 'rep'), ($1, 'U2', 'rep')`, e.team)
	e.exec(t, `UPDATE users SET commission_bps = 250 WHERE workspace_id = $1 AND id = 'U2'`, e.team)
	utc := func(m time.Month, d, h, min int) time.Time { return time.Date(2026, m, d, h, min, 0, 0, time.UTC) }
	days := func(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
	// Customers: A since September, churned Nov 20; B since October; C
	// only since Nov 5 (not a customer at the month's start).
	a := e.account(t, "Alpha", ptr(utc(9, 1, 12, 0)), ptr(utc(11, 20, 12, 0)))
	b := e.account(t, "Beta", ptr(utc(10, 1, 12, 0)), nil)
	c := e.account(t, "Gamma", ptr(utc(11, 5, 12, 0)), nil)
	won := func(owner, cur string, amount int64, recurring bool, acct int64, closed time.Time, cycle int) seedDeal {
		return seedDeal{owner: owner, stage: "won", currency: cur, amount: amount, won: ptr(amount), recurring: recurring,
			account: acct, created: closed.Add(-days(cycle)), closed: closed}
	}
	e.seed(t,
		won("U1", "USD", 12_000_00, true, b, utc(11, 10, 15, 0), 10),
		// Nov 30, 23:30 in New York: in November.
		won("U1", "USD", 3_000_00, false, c, utc(12, 1, 4, 30), 20),
		won("U2", "USD", 24_000_00, true, b, utc(11, 15, 12, 0), 30),
		seedDeal{owner: "U2", stage: "lost", currency: "USD", amount: 5_000_00, account: c, created: utc(11, 1, 12, 0), closed: utc(11, 20, 12, 0)},
		// Oct 31, 23:30 in New York: October, so only in the quarter and ARR.
		won("U1", "USD", 7_000_00, true, b, utc(11, 1, 3, 30), 5),
		won("U1", "EUR", 50_000_00, false, c, utc(11, 12, 12, 0), 8),
		// Recurring, but its account churned before the month's end: no ARR.
		won("U2", "USD", 6_000_00, true, a, utc(9, 10, 12, 0), 3),
		seedDeal{owner: "U1", stage: "lead", currency: "USD", amount: 30_000_00, account: c, created: utc(11, 2, 12, 0), closeDate: "2026-11-30"},
		seedDeal{owner: "U2", stage: "proposal", currency: "USD", amount: 10_000_00, account: c, created: utc(11, 2, 12, 0), closeDate: "2026-12-01"},
		seedDeal{owner: "U2", stage: "negotiation", currency: "USD", amount: 8_000_00, account: c, created: utc(11, 2, 12, 0)},
		seedDeal{owner: "U1", stage: "proposal", currency: "GBP", amount: 4_000_00, account: c, created: utc(11, 2, 12, 0), closeDate: "2026-11-15"},
	)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, ny)
	nov, _ := pipeline.ParsePeriod("month", "", now, ny)
	q4, _ := pipeline.ParsePeriod("quarter", "", now, ny)
	return metricsFixture{env: e, nov: nov, q4: q4, loc: ny}
}

func sortSums(s []pipeline.StageSum) []pipeline.StageSum {
	slices.SortFunc(s, func(a, b pipeline.StageSum) int {
		return strings.Compare(string(a.Stage)+a.Currency, string(b.Stage)+b.Currency)
	})
	return s
}

func TestAggregates(t *testing.T) {
	t.Parallel()
	f := newMetricsFixture(t)
	ctx := t.Context()

	open, err := f.s.OpenByStage(ctx, f.s.DB(), f.team, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantOpen := []pipeline.StageSum{
		{Stage: "lead", Currency: "USD", Count: 1, AmountMinor: 30_000_00},
		{Stage: "negotiation", Currency: "USD", Count: 1, AmountMinor: 8_000_00},
		{Stage: "proposal", Currency: "GBP", Count: 1, AmountMinor: 4_000_00},
		{Stage: "proposal", Currency: "USD", Count: 1, AmountMinor: 10_000_00},
	}
	if got := sortSums(open); !reflect.DeepEqual(got, wantOpen) {
		t.Errorf("open by stage = %+v\nwant %+v", got, wantOpen)
	}
	mine, _ := f.s.OpenByStage(ctx, f.s.DB(), f.team, []string{"U2"})
	if got := sortSums(mine); len(got) != 2 || got[0].AmountMinor != 8_000_00 || got[1].AmountMinor != 10_000_00 {
		t.Errorf("U2's open deals = %+v, want negotiation $8,000 and proposal $10,000", got)
	}

	// November: open closing in it are the lead (Nov 30) and the GBP
	// proposal (Nov 15), not the Dec 1 proposal; won are the USD wins in
	// New York's November, 12,000 + 3,000 + 24,000 = 39,000, and €50,000.
	openNov, wonNov, err := f.s.ForecastSums(ctx, f.s.DB(), f.team, nil, f.nov)
	if err != nil {
		t.Fatal(err)
	}
	stages := pipeline.DefaultStages()
	fc := pipeline.ForecastFrom("this month", stages, openNov, wonNov, "USD")
	// Weighted 39,000 + 30,000 × 5% = 40,500; commit 39,000 (nothing at
	// 50% closes in November in USD); best case 39,000 + 30,000 = 69,000.
	want := pipeline.Forecast{Period: "this month", Closed: usd(39_000_00), Weighted: usd(40_500_00), Commit: usd(39_000_00),
		BestCase: usd(69_000_00), Deals: 1, Other: []pipeline.Money{{Minor: 50_000_00, Currency: "EUR"}, {Minor: 4_000_00, Currency: "GBP"}}}
	if !reflect.DeepEqual(fc, want) {
		t.Errorf("November forecast = %+v\nwant %+v", fc, want)
	}
	// The quarter adds the Oct 31 win (7,000) and the Dec 1 proposal:
	// closed 46,000; weighted 46,000 + 1,500 + 5,000 = 52,500; commit
	// 46,000 + 10,000 = 56,000; best case 46,000 + 40,000 = 86,000.
	openQ, wonQ, _ := f.s.ForecastSums(ctx, f.s.DB(), f.team, nil, f.q4)
	fq := pipeline.ForecastFrom("q", stages, openQ, wonQ, "USD")
	if fq.Closed != usd(46_000_00) || fq.Weighted != usd(52_500_00) || fq.Commit != usd(56_000_00) || fq.BestCase != usd(86_000_00) {
		t.Errorf("Q4 forecast = %+v, want closed 46,000, weighted 52,500, commit 56,000, best 86,000", fq)
	}

	in, err := f.s.MetricsInput(ctx, f.s.DB(), f.team, nil, f.nov, "USD")
	if err != nil {
		t.Fatal(err)
	}
	m := pipeline.ComputeMetrics(in)
	// Won 4 (3 USD, 1 EUR), lost 1: 80%. Cycle (10 + 20 + 30 + 8) / 4 = 17
	// days. USD won 39,000 over 3 deals: 13,000. ACV (12,000 + 24,000) / 2.
	// ARR at Dec 1: 12,000 + 24,000 + 7,000 (Beta's recurring wins); the
	// 6,000 on Alpha is gone with Alpha's churn. Churn: Alpha and Beta were
	// customers on Nov 1, Alpha churned: 50%. Commission: U1 10% of
	// 15,000 = 1,500; U2 2.5% of 24,000 = 600.
	if m.Won != 4 || m.Lost != 1 || m.WinRate != 0.8 || m.AvgCycleDays != 17 {
		t.Errorf("won %d, lost %d, rate %v, cycle %v; want 4, 1, 0.8, 17", m.Won, m.Lost, m.WinRate, m.AvgCycleDays)
	}
	if m.AvgDealSize != usd(13_000_00) || m.ACV != usd(18_000_00) || m.ARR != usd(43_000_00) {
		t.Errorf("deal size %v, ACV %v, ARR %v; want $13,000, $18,000, $43,000", m.AvgDealSize, m.ACV, m.ARR)
	}
	if m.CustomersAtStart != 2 || m.Churned != 1 || m.ChurnRate != 0.5 {
		t.Errorf("churn %d of %d (%v), want 1 of 2", m.Churned, m.CustomersAtStart, m.ChurnRate)
	}
	if !reflect.DeepEqual(m.Commission, map[string]pipeline.Money{"U1": usd(1_500_00), "U2": usd(600_00)}) {
		t.Errorf("commission = %v, want U1 $1,500, U2 $600", m.Commission)
	}
}

func usd(minor int64) pipeline.Money { return pipeline.Money{Minor: minor, Currency: "USD"} }

func TestDigestQueries(t *testing.T) {
	t.Parallel()
	f := newMetricsFixture(t)
	ctx := t.Context()
	// Nov 20 in New York.
	day := pipeline.DayOf(time.Date(2026, 11, 20, 9, 0, 0, 0, f.loc))
	closed, err := f.s.ClosedIn(ctx, f.s.DB(), f.team, nil, day, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(closed) != 1 || closed[0].Stage != pipeline.StageLost || closed[0].Value != usd(5_000_00) {
		t.Errorf("closed on Nov 20 = %+v, want the lost $5,000 deal", closed)
	}
	created, n, err := f.s.NewDeals(ctx, f.s.DB(), f.team, nil, pipeline.DayOf(time.Date(2026, 11, 2, 9, 0, 0, 0, f.loc)), 2)
	if err != nil || n != 4 || len(created) != 2 {
		t.Errorf("new on Nov 2 = %d listed of %d (%v), want 2 of 4", len(created), n, err)
	}
	ids := f.seed(t, seedDeal{owner: "U1", stage: "qualified", currency: "USD", amount: 1, account: created[0].AccountID,
		created: time.Date(2026, 10, 1, 12, 0, 0, 0, time.UTC)})
	f.exec(t, `INSERT INTO deal_history (workspace_id, deal_id, action, field, old_value, new_value, created_at) VALUES
		($1, $2, 'stage', 'stage', 'lead', 'qualified', '2026-11-20 15:00Z'),
		($1, $2, 'stage', 'stage', 'qualified', 'won', '2026-11-20 16:00Z'),
		($1, $2, 'note', '', '', 'x', '2026-11-20 16:00Z'),
		($1, $2, 'stage', 'stage', 'won', 'qualified', '2026-11-21 06:00Z')`, f.team, ids[0])
	moves, total, err := f.s.StageMoves(ctx, f.s.DB(), f.team, nil, day, 10)
	if err != nil || total != 1 || len(moves) != 1 || moves[0].From != "lead" || moves[0].To != "qualified" {
		t.Errorf("moves on Nov 20 = %+v (%d, %v), want lead → qualified only (01:00 on the 21st is the 20th in New York, but a close is no move)", moves, total, err)
	}
	// Open deals last active Nov 2 and 1 Oct; at Nov 25 the lead (7 days),
	// both proposals (10) and the negotiation (7) are stale; so is the
	// qualified deal (10).
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, f.loc)
	if n, err := f.s.StaleCount(ctx, f.s.DB(), f.team, nil, now); err != nil || n != 5 {
		t.Errorf("stale = %d (%v), want 5", n, err)
	}
	if n, _ := f.s.StaleCount(ctx, f.s.DB(), f.team, []string{"U2"}, now); n != 2 {
		t.Errorf("U2's stale = %d, want 2", n)
	}
	f.exec(t, `INSERT INTO follow_ups (workspace_id, deal_id, owner_id, due_at, done_at) VALUES
		($1, $2, 'U1', '2026-11-24 12:00Z', NULL), ($1, $2, 'U1', '2026-11-23 12:00Z', now()), ($1, $2, 'U1', '2026-11-26 12:00Z', NULL)`, f.team, ids[0])
	if n, err := f.s.OverdueCount(ctx, f.s.DB(), f.team, nil, now); err != nil || n != 1 {
		t.Errorf("overdue = %d (%v), want 1", n, err)
	}
	closing, err := f.s.ClosingIn(ctx, f.s.DB(), f.team, nil, f.nov, 5)
	if err != nil || len(closing) != 2 || closing[0].Value != usd(30_000_00) {
		t.Errorf("closing in November = %+v (%v), want the $30,000 lead first, then the GBP proposal", closing, err)
	}
}

// Every digest and metric query reads deals through an index: a workspace
// keeps every deal it ever closed, so a sequential scan would grow with them.
func TestAggregatesUseIndexes(t *testing.T) {
	t.Parallel()
	f := newMetricsFixture(t)
	f.exec(t, `
		INSERT INTO deals (workspace_id, number, title, account_id, stage, currency, owner_id, created_by,
		                   created_at, last_activity_at, closed_at, recurring)
		SELECT $1, 1000 + g, 'Closed deal', a.id, CASE WHEN g % 3 = 0 THEN 'won' ELSE 'lost' END, 'USD', 'U1', 'U1',
		       now() - interval '800 days', now() - interval '700 days', now() - interval '700 days', g % 30 = 0
		FROM generate_series(1, 20000) AS g, (SELECT min(id) AS id FROM accounts WHERE workspace_id = $1) a`, f.team)
	f.exec(t, `ANALYZE deals`)
	f.exec(t, `ANALYZE deal_history`)
	now := time.Date(2026, 11, 25, 10, 0, 0, 0, f.loc)
	for name, q := range store.AggregateSQL() {
		for _, owners := range []any{nil, "{U1}"} {
			args := []any{f.team, owners, f.nov.From, f.nov.To, 10}
			switch name {
			case "open by stage":
				args = args[:2]
			case "closing":
				args = []any{f.team, owners, "2026-11-01", "2026-12-01", 10}
			case "open closing":
				args = []any{f.team, owners, "2026-11-01", "2026-12-01"}
			case "arr", "stale count", "overdue":
				args = []any{f.team, owners, now}
			case "won in", "closed groups":
				args = args[:4]
			}
			var plan []string
			if err := f.db.SelectContext(t.Context(), &plan, `EXPLAIN `+q, args...); err != nil {
				t.Fatalf("explain %s: %v", name, err)
			}
			if p := strings.Join(plan, "\n"); strings.Contains(p, "Seq Scan on deals") {
				t.Errorf("%s (owners %v) scans every deal:\n%s", name, owners, p)
			}
		}
	}
}
