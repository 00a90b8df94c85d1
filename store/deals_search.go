package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

// DealFilter chooses the deals ListDeals returns.
type DealFilter struct {
	OwnerIDs []string // nil = everyone's deals
	OpenOnly bool     // leave out won and lost deals
	Limit    int      // at most this many; 0 = 50
}

// defaultListLimit is how many deals ListDeals returns unless told.
const defaultListLimit = 50

// ListDeals picks deal IDs with the sort key of their stage in one of these
// parts, then reads the picked deals. Everyone's open deals are taken stage
// by stage from deals_open_stage_idx, newest activity first and at most the
// limit per stage, so the cost follows the limit, not the workspace's open
// deals; an owner's come from deals_open_owner_idx (and closed ones from
// deals_closed_owner_idx). The repeated "stage NOT IN ('won', 'lost')" and
// "closed_at IS NOT NULL" match the partial indexes' predicates. Closed
// deals sort by close time: that is when they last mattered.
const (
	pickOpenAll = `
SELECT o.id, s.position, o.last_activity_at AS sort_at
FROM stages s
CROSS JOIN LATERAL (
    SELECT d.id, d.last_activity_at FROM deals d
    WHERE d.workspace_id = s.workspace_id AND d.stage = s.key AND d.stage NOT IN ('won', 'lost')
    ORDER BY d.last_activity_at DESC
    LIMIT $2
) o
WHERE s.workspace_id = $1 AND s.key NOT IN ('won', 'lost')`

	pickClosedAll = `
SELECT o.id, s.position, o.closed_at AS sort_at
FROM stages s
CROSS JOIN LATERAL (
    SELECT d.id, d.closed_at FROM deals d
    WHERE d.workspace_id = s.workspace_id AND d.stage = s.key AND d.closed_at IS NOT NULL
    ORDER BY d.closed_at DESC
    LIMIT $2
) o
WHERE s.workspace_id = $1 AND s.key IN ('won', 'lost')`

	pickOpenOwners = `
SELECT d.id, s.position, d.last_activity_at AS sort_at
FROM deals d JOIN stages s ON s.workspace_id = d.workspace_id AND s.key = d.stage
WHERE d.workspace_id = $1 AND d.owner_id = ANY($3::text[]) AND d.stage NOT IN ('won', 'lost')`

	pickClosedOwners = `
SELECT d.id, s.position, d.closed_at AS sort_at
FROM deals d JOIN stages s ON s.workspace_id = d.workspace_id AND s.key = d.stage
WHERE d.workspace_id = $1 AND d.owner_id = ANY($3::text[]) AND d.closed_at IS NOT NULL`
)

// listDealsQuery builds ListDeals' query and arguments for f.
func listDealsQuery(teamID string, f DealFilter) (string, []any) {
	limit := f.Limit
	if limit <= 0 {
		limit = defaultListLimit
	}
	args := []any{teamID, limit}
	parts := []string{pickOpenAll, pickClosedAll}
	if f.OwnerIDs != nil {
		parts = []string{pickOpenOwners, pickClosedOwners}
		args = append(args, pq.StringArray(f.OwnerIDs))
	}
	if f.OpenOnly {
		parts = parts[:1]
	}
	// The limit applies to the picked IDs first, so only the deals shown are
	// joined with their account and contact.
	q := `WITH picked AS (
SELECT * FROM (` + strings.Join(parts, "\nUNION ALL\n") + `) u
ORDER BY position, sort_at DESC, id DESC
LIMIT $2)` + selectDeals + `
JOIN picked p ON p.id = d.id
ORDER BY p.position, p.sort_at DESC, d.id DESC
LIMIT $2`
	return q, args
}

// ListDeals returns the workspace's deals that f chooses, in pipeline order:
// by stage position, then most recent activity first (closed deals, after
// the open ones, most recently closed first).
func (s *Store) ListDeals(ctx context.Context, ex Executor, teamID string, f DealFilter) ([]pipeline.Deal, error) {
	q, args := listDealsQuery(teamID, f)
	return s.selectDeals(ctx, ex, "list deals", q, args...)
}

// FindDeals collects the deals whose title, account name, contact name or
// contact email contains the query or has a word like it (pg_trgm's word
// similarity), each through its trigram index, then ranks them: a field
// equal to the query first, then one starting with it, then by how well the
// query matches a word of a field, then the whole field (so "acmee" finds
// "Acme" before "Acme Industries"), open deals before closed ones.
//
// $7, when not NULL, keeps the deals of those owners only: a rep's search
// must not be crowded out by deals they may not see.
//
// Each source gives at most $6 candidates, so a query that matches half the
// workspace ("inc", "@gmail") costs a bounded amount instead of ranking every
// deal; the account of exactly that name has a source of its own (its btree
// index), so it is never crowded out. The trigram indexes span workspaces;
// workspace_id filters their matches.
const findDeals = `
WITH hits (id, text) AS (
    (SELECT d.id, lower(a.name) FROM accounts a
     JOIN deals d ON d.workspace_id = a.workspace_id AND d.account_id = a.id
     WHERE a.workspace_id = $1 AND lower(a.name) = lower($2)
       AND ($7::text[] IS NULL OR d.owner_id = ANY($7::text[]))
     LIMIT $6)
  UNION ALL
    (SELECT d.id, lower(d.title) FROM deals d
     WHERE d.workspace_id = $1 AND (lower(d.title) LIKE lower($3) OR lower(d.title) %> lower($2))
       AND ($7::text[] IS NULL OR d.owner_id = ANY($7::text[]))
     LIMIT $6)
  UNION ALL
    (SELECT d.id, lower(a.name) FROM accounts a
     JOIN deals d ON d.workspace_id = a.workspace_id AND d.account_id = a.id
     WHERE a.workspace_id = $1 AND (lower(a.name) LIKE lower($3) OR lower(a.name) %> lower($2))
       AND ($7::text[] IS NULL OR d.owner_id = ANY($7::text[]))
     LIMIT $6)
  UNION ALL
    (SELECT d.id, lower(c.name) FROM contacts c
     JOIN deals d ON d.workspace_id = c.workspace_id AND d.contact_id = c.id
     WHERE c.workspace_id = $1 AND (lower(c.name) LIKE lower($3) OR lower(c.name) %> lower($2))
       AND ($7::text[] IS NULL OR d.owner_id = ANY($7::text[]))
     LIMIT $6)
  UNION ALL
    (SELECT d.id, lower(c.email) FROM contacts c
     JOIN deals d ON d.workspace_id = c.workspace_id AND d.contact_id = c.id
     WHERE c.workspace_id = $1 AND c.email <> '' AND (lower(c.email) LIKE lower($3) OR lower(c.email) %> lower($2))
       AND ($7::text[] IS NULL OR d.owner_id = ANY($7::text[]))
     LIMIT $6)
), ranked AS (
    SELECT id,
           min(CASE WHEN text = lower($2) THEN 0 WHEN text LIKE lower($4) THEN 1 ELSE 2 END) AS tier,
           max(word_similarity(lower($2), text)) AS word_sim,
           max(similarity(lower($2), text)) AS sim
    FROM hits GROUP BY id
)` + selectDeals + `
JOIN ranked r ON r.id = d.id
ORDER BY r.tier, r.word_sim DESC, r.sim DESC, d.closed_at IS NULL DESC, d.last_activity_at DESC, d.id DESC
LIMIT $5`

// findCandidates is how many deals each source of findDeals offers at most.
const findCandidates = 200

// findDealsArgs makes the LIKE patterns, escaping the query's own wildcards.
// Postgres lower-cases them (lower($n)), as it does the columns, so both
// sides fold case the same way whatever the database's locale.
func findDealsArgs(teamID, query string, owners []string, limit int) []any {
	if limit <= 0 {
		limit = defaultListLimit
	}
	q := strings.TrimSpace(query)
	esc := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(q)
	return []any{teamID, q, "%" + esc + "%", esc + "%", limit, max(limit, findCandidates), pq.Array(owners)}
}

// FindDeals searches the workspace's deals (of owners only, unless nil) by
// title, account name, contact name and contact email, best match first (see
// findDeals); an empty query finds nothing.
func (s *Store) FindDeals(ctx context.Context, ex Executor, teamID, query string, owners []string, limit int) ([]pipeline.Deal, error) {
	if strings.TrimSpace(query) == "" {
		return nil, nil
	}
	return s.selectDeals(ctx, ex, "find deals", findDeals, findDealsArgs(teamID, query, owners, limit)...)
}

// selectDeals runs a deal query as text, not prepared: a plan made for the
// actual arguments picks the right index for each search and filter.
func (s *Store) selectDeals(ctx context.Context, ex Executor, what, query string, args ...any) ([]pipeline.Deal, error) {
	var rows []dealRow
	if err := sqlx.SelectContext(ctx, ex, &rows, query, args...); err != nil {
		return nil, fmt.Errorf("store: %s: %w", what, err)
	}
	out := make([]pipeline.Deal, len(rows))
	for i, r := range rows {
		out[i] = r.deal()
	}
	return out, nil
}
