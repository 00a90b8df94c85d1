package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

// Routing in a workspace is serialised on the workspace row, the lock that
// creating a deal takes anyway for its number (FOR NO KEY UPDATE is what that
// UPDATE takes): two leads routed at once see each other's last_routed_at
// and go to two reps, and lead creation cannot deadlock with routing.
const lockRouting = `SELECT id FROM workspaces WHERE id = $1 FOR NO KEY UPDATE`

// Everyone of the workspace with their open leads (deals_open_owner_idx).
// Open leads only matter against a capacity, so they are counted only for
// people who have one, and only up to it: routing runs under the
// workspace's lock, and counting every open lead of every rep cost each
// routed lead milliseconds there, growing with the leads.
const selectRoutingReps = `
SELECT u.id, u.role, COALESCE(u.manager_id, '') AS manager_id, u.away, u.deactivated, u.lead_capacity, u.last_routed_at,
       CASE WHEN u.lead_capacity > 0 THEN
           (SELECT count(*) FROM (SELECT 1 FROM deals d
            WHERE d.workspace_id = u.workspace_id AND d.owner_id = u.id AND d.stage NOT IN ('won', 'lost') AND d.stage = 'lead'
            LIMIT u.lead_capacity) l)
       ELSE 0 END AS open_leads
FROM users u
WHERE u.workspace_id = $1`

// clock_timestamp, not the transaction's start: routings that follow each
// other get increasing times even inside one long transaction.
const markRoutedTo = `UPDATE users SET last_routed_at = clock_timestamp() WHERE workspace_id = $1 AND id = $2`

const markDeactivated = `UPDATE users SET deactivated = true, updated_at = now() WHERE workspace_id = $1 AND id = $2`

const selectRoutingRules = `SELECT routing_rules FROM workspace_settings WHERE workspace_id = $1`

const updateRoutingRules = `UPDATE workspace_settings SET routing_rules = $2, updated_at = now() WHERE workspace_id = $1`

// Coming back (away = false) also clears a deactivation routing noted: the
// person is in use again, and routing checks Slack before each offer anyway.
const setUserAvailability = `
UPDATE users SET away = COALESCE($3, away), lead_capacity = COALESCE($4, lead_capacity),
    deactivated = CASE WHEN $3 = false THEN false ELSE deactivated END, updated_at = now()
WHERE workspace_id = $1 AND id = $2`

type repRow struct {
	ID           string     `db:"id"`
	Role         string     `db:"role"`
	ManagerID    string     `db:"manager_id"`
	Away         bool       `db:"away"`
	Deactivated  bool       `db:"deactivated"`
	Capacity     int        `db:"lead_capacity"`
	LastRoutedAt *time.Time `db:"last_routed_at"`
	OpenLeads    int        `db:"open_leads"`
}

// LockRouting takes the workspace's routing lock in the transaction ex, until it ends.
func (s *Store) LockRouting(ctx context.Context, ex Executor, teamID string) error {
	var id string
	if err := s.get(ctx, ex, &id, lockRouting, teamID); err != nil {
		return fmt.Errorf("store: lock routing of %s: %w", teamID, notFound(err))
	}
	return nil
}

// RoutingReps returns the workspace's people as routing sees them. A
// person's OpenLeads is counted up to their Capacity (0 without one), which
// is all routing asks of it: whether they are full.
func (s *Store) RoutingReps(ctx context.Context, ex Executor, teamID string) ([]pipeline.Rep, error) {
	var rows []repRow
	if err := s.sel(ctx, ex, &rows, selectRoutingReps, teamID); err != nil {
		return nil, fmt.Errorf("store: routing reps of %s: %w", teamID, err)
	}
	out := make([]pipeline.Rep, len(rows))
	for i, r := range rows {
		out[i] = pipeline.Rep{ID: r.ID, Role: r.Role, ManagerID: r.ManagerID, Away: r.Away, Deactivated: r.Deactivated,
			Capacity: r.Capacity, OpenLeads: r.OpenLeads, LastRoutedAt: r.LastRoutedAt}
	}
	return out, nil
}

// MarkRoutedTo records that userID was just routed a lead (round-robin order).
func (s *Store) MarkRoutedTo(ctx context.Context, ex Executor, teamID, userID string) error {
	if err := s.exec(ctx, ex, markRoutedTo, teamID, userID); err != nil {
		return fmt.Errorf("store: mark %s routed: %w", userID, err)
	}
	return nil
}

// MarkDeactivated records that userID's Slack account is deactivated.
func (s *Store) MarkDeactivated(ctx context.Context, ex Executor, teamID, userID string) error {
	if err := s.exec(ctx, ex, markDeactivated, teamID, userID); err != nil {
		return fmt.Errorf("store: mark %s deactivated: %w", userID, err)
	}
	return nil
}

// SetAvailability sets a person's away flag and/or open-lead capacity (nil
// keeps it), recording them if new; away false also clears a noted
// deactivation. ErrNotFound for an unknown workspace.
func (s *Store) SetAvailability(ctx context.Context, ex Executor, teamID, userID string, away *bool, capacity *int) error {
	return s.inTx(ctx, ex, func(tx *sqlx.Tx) error { return s.setAvailability(ctx, tx, teamID, userID, away, capacity) })
}

func (s *Store) setAvailability(ctx context.Context, ex Executor, teamID, userID string, away *bool, capacity *int) error {
	if err := s.ensurePeople(ctx, ex, teamID, userID); err != nil {
		return fmt.Errorf("store: availability of %s: %w", userID, err)
	}
	res, err := ex.ExecContext(ctx, setUserAvailability, teamID, userID, away, capacity)
	if err != nil {
		return fmt.Errorf("store: availability of %s: %w", userID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: availability of %s: %w", userID, ErrNotFound)
	}
	return nil
}

// RoutingRules returns the workspace's routing rules in order.
func (s *Store) RoutingRules(ctx context.Context, ex Executor, teamID string) ([]pipeline.RoutingRule, error) {
	var raw []byte
	if err := s.get(ctx, ex, &raw, selectRoutingRules, teamID); err != nil {
		return nil, fmt.Errorf("store: routing rules of %s: %w", teamID, notFound(err))
	}
	var rules []pipeline.RoutingRule
	if err := json.Unmarshal(raw, &rules); err != nil {
		return nil, fmt.Errorf("store: routing rules of %s: %w", teamID, err)
	}
	return rules, nil
}

// SaveRoutingRules replaces the workspace's routing rules.
func (s *Store) SaveRoutingRules(ctx context.Context, ex Executor, teamID string, rules []pipeline.RoutingRule) error {
	if rules == nil {
		rules = []pipeline.RoutingRule{}
	}
	b, err := json.Marshal(rules)
	if err != nil {
		return fmt.Errorf("store: encode routing rules: %w", err)
	}
	res, err := ex.ExecContext(ctx, updateRoutingRules, teamID, string(b))
	if err != nil {
		return fmt.Errorf("store: save routing rules of %s: %w", teamID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: save routing rules of %s: %w", teamID, ErrNotFound)
	}
	return nil
}

// What routing needs to know of one deal.
const selectDealRouting = `
SELECT d.routed, d.handoff_state, d.handoff_declined, d.created_by, a.industry, a.company_size, a.territory
FROM deals d JOIN accounts a ON a.id = d.account_id
WHERE d.workspace_id = $1 AND d.id = $2`

const markDealRouted = `UPDATE deals SET routed = true WHERE workspace_id = $1 AND id = $2`

// DealRouting is what routing knows of one deal.
type DealRouting struct {
	Routed    bool           `db:"routed"`
	Handoff   string         `db:"handoff_state"`
	Declined  pq.StringArray `db:"handoff_declined"`
	CreatedBy string         `db:"created_by"`
	Industry  string         `db:"industry"`
	Size      string         `db:"company_size"`
	Territory string         `db:"territory"`
}

// DealRouting reads deal d's routing state in ex.
func (s *Store) DealRouting(ctx context.Context, ex Executor, d pipeline.Deal) (DealRouting, error) {
	var r DealRouting
	if err := sqlx.GetContext(ctx, ex, &r, selectDealRouting, d.WorkspaceID, d.ID); err != nil {
		return r, fmt.Errorf("store: routing of %s: %w", d.Ref(), notFound(err))
	}
	return r, nil
}

// MarkDealRouted marks deal d as routed by the bot (so a rejection routes it
// on) and appends a "routed" history entry at now saying why.
func (s *Store) MarkDealRouted(ctx context.Context, ex Executor, d pipeline.Deal, reason string, now time.Time) error {
	return s.inTx(ctx, ex, func(tx *sqlx.Tx) error { return s.markDealRouted(ctx, tx, d, reason, now) })
}

func (s *Store) markDealRouted(ctx context.Context, ex Executor, d pipeline.Deal, reason string, now time.Time) error {
	if err := s.exec(ctx, ex, markDealRouted, d.WorkspaceID, d.ID); err != nil {
		return fmt.Errorf("store: mark %s routed: %w", d.Ref(), err)
	}
	if err := s.appendHistory(ctx, ex, d.WorkspaceID, d.ID, "", now, entry{"routed", "", "", reason}); err != nil {
		return fmt.Errorf("store: mark %s routed: %w", d.Ref(), err)
	}
	return nil
}

// routingQueries are the statements routing and offering a new lead run,
// most under the workspace's lock: prepared ahead (WarmLeadQueries), each
// takes one round trip instead of two (lib/pq parses a parameterised query
// in a round trip of its own), and every round trip under the lock
// lengthens every other lead's wait.
var routingQueries = []string{lockRouting, selectRoutingRules, selectRoutingReps, routeNext, markDeactivated,
	markDealRouted, insertHistorySQL, closeDealOffers, insertOffer, selectWebhookSubscribers, selectSettings}

// routeNext picks the next rep by pipeline.Route's order and records the
// choice, in one statement: the candidates of the matching rules ($2: the
// rule's position, $3: its To, $4: whether To is a team's manager), in rule
// order, then the workspace's reps; within each, who was routed longest ago
// (never first), then by ID in byte order as pipeline.Route compares it.
// Away, deactivated, full and excluded ($5) people are skipped. Run under
// the workspace's routing lock: it replaces reading every rep and their
// open leads into Go, which cost each routed lead about a millisecond
// there.
const routeNext = `
WITH rules AS (
    SELECT * FROM unnest($2::int[], $3::text[], $4::bool[]) AS r(pos, to_id, team)
), cands AS (
    SELECT u.id, u.last_routed_at,
           COALESCE((SELECT min(r.pos) FROM rules r
                     WHERE (NOT r.team AND r.to_id = u.id) OR (r.team AND r.to_id = u.manager_id)),
                    CASE WHEN u.role = 'rep' THEN 2147483647 END) AS pos
    FROM users u
    WHERE u.workspace_id = $1 AND NOT u.away AND NOT u.deactivated AND u.id <> ALL ($5::text[])
      AND (u.lead_capacity = 0 OR
           (SELECT count(*) FROM (SELECT 1 FROM deals d
            WHERE d.workspace_id = u.workspace_id AND d.owner_id = u.id AND d.stage NOT IN ('won', 'lost') AND d.stage = 'lead'
            LIMIT u.lead_capacity) l) < u.lead_capacity)
), pick AS (
    SELECT id, pos FROM cands WHERE pos IS NOT NULL
    ORDER BY pos, last_routed_at ASC NULLS FIRST, id COLLATE "C" LIMIT 1
)
UPDATE users u SET last_routed_at = clock_timestamp() FROM pick
WHERE u.workspace_id = $1 AND u.id = pick.id
RETURNING u.id, pick.pos`

// RouteNext chooses whom a lead goes to, as the first of pipeline.Route's
// choices for in, rules and the workspace's people as they are now, and
// records it for round-robin (as MarkRoutedTo). rule is the index in rules
// of the rule that chose them, -1 for round-robin. ErrNotFound when no one
// can take it. Take the routing lock (LockRouting) first.
func (s *Store) RouteNext(ctx context.Context, ex Executor, teamID string, in pipeline.RouteInput, rules []pipeline.RoutingRule) (repID string, rule int, err error) {
	pos, to, team := pq.Int64Array{}, pq.StringArray{}, pq.BoolArray{}
	for i, r := range rules {
		if r.Matches(in) {
			pos, to, team = append(pos, int64(i)), append(to, r.To), append(team, r.Team)
		}
	}
	exclude := append(pq.StringArray{}, in.Exclude...) // never NULL: <> ALL (NULL) excludes everyone
	var row struct {
		ID  string `db:"id"`
		Pos int    `db:"pos"`
	}
	if err := s.get(ctx, ex, &row, routeNext, teamID, pos, to, team, exclude); err != nil {
		return "", 0, fmt.Errorf("store: route a lead in %s: %w", teamID, notFound(err))
	}
	if row.Pos >= len(rules) {
		return row.ID, -1, nil
	}
	return row.ID, row.Pos, nil
}
