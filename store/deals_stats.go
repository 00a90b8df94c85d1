package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

// Counts and sums over deals, for digests, metrics, forecasts and the Home
// tab. Each reads one index: deals created in a window (deals_created_idx),
// deals closed in a window (deals_closed_idx), open deals (the open-deal
// partial indexes).
//
// Every aggregate takes the owners whose deals count as $2: NULL counts the
// whole workspace. Queries run as text with their arguments, so Postgres
// plans each for the values given: "$2 IS NULL" folds away and the filter
// that is left picks the open-deals or closed-deals partial index. The
// repeated "stage NOT IN ('won', 'lost')" and "closed_at IS NOT NULL" match
// those indexes' predicates.
const ownersFilter = `($2::text[] IS NULL OR d.owner_id = ANY($2::text[]))`

// Open deals by stage and currency (deals_open_stage_idx, or
// deals_open_owner_idx for some owners).
const openByStageSQL = `
SELECT d.stage, d.currency, count(*) AS n, COALESCE(sum(d.amount_minor), 0)::bigint AS amount
FROM deals d
WHERE d.workspace_id = $1 AND d.stage NOT IN ('won', 'lost') AND ` + ownersFilter + `
GROUP BY d.stage, d.currency`

// Open deals expected to close in [$3, $4) (dates), by stage and currency
// (deals_open_close_idx).
const openClosingSQL = `
SELECT d.stage, d.currency, count(*) AS n, COALESCE(sum(d.amount_minor), 0)::bigint AS amount
FROM deals d
WHERE d.workspace_id = $1 AND d.stage NOT IN ('won', 'lost') AND d.expected_close IS NOT NULL
  AND d.expected_close >= $3::date AND d.expected_close < $4::date AND ` + ownersFilter + `
GROUP BY d.stage, d.currency`

// Deals won in [$3, $4), by currency (deals_closed_idx). The final amount
// is the won amount when one was given.
const wonInSQL = `
SELECT d.stage, d.currency, count(*) AS n, COALESCE(sum(COALESCE(d.won_amount_minor, d.amount_minor)), 0)::bigint AS amount
FROM deals d
WHERE d.workspace_id = $1 AND d.closed_at IS NOT NULL AND d.closed_at >= $3 AND d.closed_at < $4
  AND d.stage = 'won' AND ` + ownersFilter + `
GROUP BY d.stage, d.currency`

// Deals closed in [$3, $4) by owner, outcome, currency and kind, with the
// summed days from creation to close (deals_closed_idx).
const closedGroupsSQL = `
SELECT d.owner_id, d.stage, d.currency, d.recurring, count(*) AS n,
       COALESCE(sum(CASE WHEN d.stage = 'won' THEN COALESCE(d.won_amount_minor, d.amount_minor) ELSE d.amount_minor END), 0)::bigint AS amount,
       COALESCE(sum(extract(epoch FROM d.closed_at - d.created_at) / 86400), 0)::float8 AS cycle_days
FROM deals d
WHERE d.workspace_id = $1 AND d.closed_at IS NOT NULL AND d.closed_at >= $3 AND d.closed_at < $4 AND ` + ownersFilter + `
GROUP BY d.owner_id, d.stage, d.currency, d.recurring`

// Annual value of recurring deals won before $3 whose account had not
// churned by then: all recurring wins (deals_won_recurring_idx, an
// index-only read) less those on accounts churned before $3, which are few
// (accounts_churned_idx, then deals_account_idx). A join of every recurring
// win with its account would cost a lookup per win.
const arrSQL = `
SELECT x.currency, COALESCE(sum(x.amount), 0)::bigint AS amount
FROM (
    SELECT d.currency, COALESCE(d.won_amount_minor, d.amount_minor) AS amount
    FROM deals d
    WHERE d.workspace_id = $1 AND d.stage = 'won' AND d.recurring AND d.closed_at IS NOT NULL AND d.closed_at < $3
      AND ` + ownersFilter + `
  UNION ALL
    SELECT d.currency, -COALESCE(d.won_amount_minor, d.amount_minor)
    FROM accounts a
    JOIN deals d ON d.workspace_id = a.workspace_id AND d.account_id = a.id
    WHERE a.workspace_id = $1 AND a.churned_at IS NOT NULL AND a.churned_at < $3
      AND d.stage = 'won' AND d.recurring AND d.closed_at IS NOT NULL AND d.closed_at < $3 AND ` + ownersFilter + `
) x
GROUP BY x.currency`

// Customers at $2, and those of them who churned in [$2, $3).
const churnSQL = `
SELECT count(*) FILTER (WHERE churned_at IS NULL OR churned_at >= $2) AS at_start,
       count(*) FILTER (WHERE churned_at >= $2 AND churned_at < $3) AS churned
FROM accounts
WHERE workspace_id = $1 AND customer_since IS NOT NULL AND customer_since < $2`

const commissionRatesSQL = `
SELECT '' AS id, default_commission_bps AS bps FROM workspace_settings WHERE workspace_id = $1
UNION ALL
SELECT id, commission_bps FROM users WHERE workspace_id = $1 AND commission_bps IS NOT NULL`

type sumRow struct {
	Stage    string `db:"stage"`
	Currency string `db:"currency"`
	N        int    `db:"n"`
	Amount   int64  `db:"amount"`
}

// owners is the $2 argument: NULL for the whole workspace.
func owners(ids []string) pq.StringArray {
	if ids == nil {
		return nil
	}
	return pq.StringArray(ids)
}

func (s *Store) sums(ctx context.Context, ex Executor, what, query string, args ...any) ([]pipeline.StageSum, error) {
	var rows []sumRow
	if err := sqlx.SelectContext(ctx, ex, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	out := make([]pipeline.StageSum, len(rows))
	for i, r := range rows {
		out[i] = pipeline.StageSum{Stage: pipeline.Stage(r.Stage), Currency: r.Currency, Count: r.N, AmountMinor: r.Amount}
	}
	return out, nil
}

// OpenByStage sums the open deals of ownerIDs (nil = the whole workspace)
// by stage and currency.
func (s *Store) OpenByStage(ctx context.Context, ex Executor, teamID string, ownerIDs []string) ([]pipeline.StageSum, error) {
	return s.sums(ctx, ex, "open deals by stage of "+teamID, openByStageSQL, teamID, owners(ownerIDs))
}

// ForecastSums returns, for period p, the open deals of ownerIDs expected to
// close in it (by their expected close date, read in p's timezone) and the
// deals won in it, each summed by stage and currency.
func (s *Store) ForecastSums(ctx context.Context, ex Executor, teamID string, ownerIDs []string, p pipeline.Period) (open, won []pipeline.StageSum, err error) {
	open, err = s.sums(ctx, ex, "forecast of "+teamID, openClosingSQL, teamID, owners(ownerIDs),
		p.From.Format(time.DateOnly), p.To.Format(time.DateOnly))
	if err != nil {
		return nil, nil, err
	}
	won, err = s.sums(ctx, ex, "won in period of "+teamID, wonInSQL, teamID, owners(ownerIDs), p.From, p.To)
	return open, won, err
}

type closedGroupRow struct {
	OwnerID   string  `db:"owner_id"`
	Stage     string  `db:"stage"`
	Currency  string  `db:"currency"`
	Recurring bool    `db:"recurring"`
	N         int     `db:"n"`
	Amount    int64   `db:"amount"`
	CycleDays float64 `db:"cycle_days"`
}

// ClosedGroups counts the deals of ownerIDs (nil = everyone) closed in p by
// owner, outcome, currency and kind.
func (s *Store) ClosedGroups(ctx context.Context, ex Executor, teamID string, ownerIDs []string, p pipeline.Period) ([]pipeline.ClosedGroup, error) {
	var rows []closedGroupRow
	if err := sqlx.SelectContext(ctx, ex, &rows, closedGroupsSQL, teamID, owners(ownerIDs), p.From, p.To); err != nil {
		return nil, fmt.Errorf("store: closed deals of %s: %w", teamID, err)
	}
	out := make([]pipeline.ClosedGroup, len(rows))
	for i, r := range rows {
		out[i] = pipeline.ClosedGroup{OwnerID: r.OwnerID, Stage: pipeline.Stage(r.Stage), Currency: r.Currency,
			Recurring: r.Recurring, Count: r.N, AmountMinor: r.Amount, CycleDays: r.CycleDays}
	}
	return out, nil
}

// MetricsInput reads everything pipeline.ComputeMetrics needs for period p
// and the deals of ownerIDs (nil = everyone). Churn counts the workspace's
// customers, whoever owns their deals. Rates: a rep's own commission rate,
// else the workspace's.
func (s *Store) MetricsInput(ctx context.Context, ex Executor, teamID string, ownerIDs []string, p pipeline.Period, currency string) (pipeline.MetricsInput, error) {
	in := pipeline.MetricsInput{Period: p, Currency: currency, RepBps: map[string]int{}}
	var err error
	if in.Closed, err = s.ClosedGroups(ctx, ex, teamID, ownerIDs, p); err != nil {
		return in, err
	}
	var arr []struct {
		Currency string `db:"currency"`
		Amount   int64  `db:"amount"`
	}
	if err := sqlx.SelectContext(ctx, ex, &arr, arrSQL, teamID, owners(ownerIDs), p.To); err != nil {
		return in, fmt.Errorf("store: ARR of %s: %w", teamID, err)
	}
	for _, r := range arr {
		in.ARR = append(in.ARR, pipeline.Money{Minor: r.Amount, Currency: r.Currency})
	}
	var churn struct {
		AtStart int `db:"at_start"`
		Churned int `db:"churned"`
	}
	if err := sqlx.GetContext(ctx, ex, &churn, churnSQL, teamID, p.From, p.To); err != nil {
		return in, fmt.Errorf("store: churn of %s: %w", teamID, err)
	}
	in.CustomersAtStart, in.Churned = churn.AtStart, churn.Churned
	var rates []struct {
		ID  string `db:"id"`
		Bps int    `db:"bps"`
	}
	if err := sqlx.SelectContext(ctx, ex, &rates, commissionRatesSQL, teamID); err != nil {
		return in, fmt.Errorf("store: commission rates of %s: %w", teamID, err)
	}
	for _, r := range rates {
		if r.ID == "" {
			in.DefaultBps = r.Bps
		} else {
			in.RepBps[r.ID] = r.Bps
		}
	}
	return in, nil
}

// New deals in [$3, $4), oldest first, with how many there were in all.
const newDealsSQL = `
WITH picked AS (
    SELECT d.id, d.created_at, count(*) OVER () AS total
    FROM deals d
    WHERE d.workspace_id = $1 AND d.created_at >= $3 AND d.created_at < $4 AND ` + ownersFilter + `
    ORDER BY d.created_at, d.id
    LIMIT $5
)
SELECT p.total, x.* FROM picked p
JOIN LATERAL (` + selectDeals + ` WHERE d.id = p.id) x ON true
ORDER BY p.created_at, p.id`

// Deals closed in [$3, $4), won and lost, most valuable first.
const closedInSQL = selectDeals + `
WHERE d.workspace_id = $1 AND d.closed_at IS NOT NULL AND d.closed_at >= $3 AND d.closed_at < $4 AND ` + ownersFilter + `
ORDER BY d.amount_minor DESC, d.id
LIMIT $5`

// Open deals expected to close in [$3, $4) (dates), largest first.
const closingSQL = selectDeals + `
WHERE d.workspace_id = $1 AND d.stage NOT IN ('won', 'lost') AND d.expected_close IS NOT NULL
  AND d.expected_close >= $3::date AND d.expected_close < $4::date AND ` + ownersFilter + `
ORDER BY d.amount_minor DESC, d.expected_close, d.id
LIMIT $5`

type newDealRow struct {
	Total int `db:"total"`
	dealRow
}

// NewDeals returns the first limit deals of ownerIDs (nil = everyone)
// created in p, oldest first, and how many were created in all.
func (s *Store) NewDeals(ctx context.Context, ex Executor, teamID string, ownerIDs []string, p pipeline.Period, limit int) ([]pipeline.Deal, int, error) {
	var rows []newDealRow
	if err := sqlx.SelectContext(ctx, ex, &rows, newDealsSQL, teamID, owners(ownerIDs), p.From, p.To, limit); err != nil {
		return nil, 0, fmt.Errorf("store: new deals of %s: %w", teamID, err)
	}
	out := make([]pipeline.Deal, len(rows))
	total := 0
	for i, r := range rows {
		out[i], total = r.deal(), r.Total
	}
	return out, total, nil
}

// ClosedIn returns up to limit deals of ownerIDs closed (won or lost) in p,
// most valuable first.
func (s *Store) ClosedIn(ctx context.Context, ex Executor, teamID string, ownerIDs []string, p pipeline.Period, limit int) ([]pipeline.Deal, error) {
	return s.selectDeals(ctx, ex, "deals closed of "+teamID, closedInSQL, teamID, owners(ownerIDs), p.From, p.To, limit)
}

// ClosingIn returns up to limit open deals of ownerIDs expected to close in
// p (by date in p's timezone), largest amount first.
func (s *Store) ClosingIn(ctx context.Context, ex Executor, teamID string, ownerIDs []string, p pipeline.Period, limit int) ([]pipeline.Deal, error) {
	return s.selectDeals(ctx, ex, "deals closing of "+teamID, closingSQL, teamID, owners(ownerIDs),
		p.From.Format(time.DateOnly), p.To.Format(time.DateOnly), limit)
}

// Open deals per owner: count and amount in the workspace currency.
const selectOpenByOwner = `
SELECT d.owner_id, count(*) AS open,
       COALESCE(sum(d.amount_minor) FILTER (WHERE d.currency = ws.currency), 0) AS amount_minor
FROM deals d
JOIN workspace_settings ws ON ws.workspace_id = d.workspace_id
WHERE d.workspace_id = $1 AND d.owner_id = ANY($2::text[]) AND d.stage NOT IN ('won', 'lost')
GROUP BY d.owner_id`

// OwnerTotal is one person's open pipeline.
type OwnerTotal struct {
	OwnerID string `db:"owner_id"`
	Open    int    `db:"open"`
	Amount  int64  `db:"amount_minor"` // in the workspace currency
}

// OpenByOwner returns the open deal count and amount (workspace currency) of
// each of the owners that has open deals.
func (s *Store) OpenByOwner(ctx context.Context, ex Executor, teamID string, owners []string) (map[string]OwnerTotal, error) {
	var rows []OwnerTotal
	if err := sqlx.SelectContext(ctx, ex, &rows, selectOpenByOwner, teamID, pq.StringArray(owners)); err != nil {
		return nil, fmt.Errorf("store: open deals by owner in %s: %w", teamID, err)
	}
	out := make(map[string]OwnerTotal, len(rows))
	for _, r := range rows {
		out[r.OwnerID] = r
	}
	return out, nil
}
