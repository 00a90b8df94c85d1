package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// DemoPerson is someone the demo pipeline is spread over.
type DemoPerson struct {
	ID, Name, Role, Timezone string
	ManagerID                string // "" for none
}

// DemoSummary counts what SeedDemo wrote.
type DemoSummary struct {
	Accounts, Deals, Open, Won, Lost, Activities, FollowUps int
}

// demoSeed fixes the demo's randomness: the same now gives the same data.
const demoSeed = 20260101

// Deals and history rows are written with their own past timestamps, which
// CreateLead (one time for a deal and all it writes) cannot do; accounts and
// contacts reuse its upserts.
const (
	lockWorkspaceSQL = `SELECT next_deal_number FROM workspaces WHERE id = $1 FOR UPDATE`
	setManagerSQL    = `UPDATE users SET manager_id = $3, updated_at = now() WHERE workspace_id = $1 AND id = $2`
	insertDemoDeal   = `
WITH n AS (
    UPDATE workspaces SET next_deal_number = next_deal_number + 1 WHERE id = $1
    RETURNING next_deal_number - 1 AS number
)
INSERT INTO deals (workspace_id, number, title, account_id, contact_id, stage, amount_minor, currency, recurring,
    expected_close, source, score, owner_id, created_by, created_at, updated_at, last_activity_at, closed_at,
    lost_reason, won_amount_minor)
SELECT $1, n.number, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $13, $14, $14, $15, $16, $17
FROM n
RETURNING id`
	insertDemoHistory = `
INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, old_value, new_value, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`
	insertDemoActivity = `
INSERT INTO activities (workspace_id, deal_id, author_id, kind, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`
	insertDemoFollowUp = `
INSERT INTO follow_ups (workspace_id, deal_id, owner_id, due_at, note, created_by, created_at, done_at, reminded_at)
VALUES ($1, $2, $3, $4, $5, $3, $6, $7, $8)`
	markCustomerSQL = `
UPDATE accounts SET is_customer = true, customer_since = LEAST(COALESCE(customer_since, $3), $3), updated_at = now()
WHERE workspace_id = $1 AND id = $2`
)

// SeedDemo fills the workspace with a believable pipeline owned by people:
// accounts and contacts, deals created over the last 120 days in every stage,
// their stage moves in the history, notes, follow-ups (some overdue), and won
// and lost deals, so that digests, leaderboards and metrics have something
// to show. It adds to what the workspace has (deal numbers go on from its
// last), is deterministic for a given now, and writes everything — the
// workspace, the people and their roles included — in one transaction (ex's,
// when it is one): a failed run writes nothing.
func (s *Store) SeedDemo(ctx context.Context, ex Executor, teamID string, people []DemoPerson, defaults pipeline.Settings, now time.Time) (DemoSummary, error) {
	if len(people) == 0 {
		return DemoSummary{}, errors.New("store: seed demo: no people")
	}
	var sum DemoSummary
	err := s.inTx(ctx, ex, func(tx *sqlx.Tx) error {
		settings, err := s.EnsureWorkspace(ctx, tx, teamID, defaults)
		if err != nil {
			return err
		}
		for _, p := range people {
			if _, err := s.EnsureUser(ctx, tx, pipeline.User{WorkspaceID: teamID, ID: p.ID, Name: p.Name, Role: p.Role, Timezone: p.Timezone}); err != nil {
				return err
			}
		}
		// The row lock makes two seeds at once number their deals apart.
		var next int64
		if err := tx.GetContext(ctx, &next, lockWorkspaceSQL, teamID); err != nil {
			return fmt.Errorf("lock workspace: %w", err)
		}
		for _, p := range people {
			if p.ManagerID == "" {
				continue
			}
			if _, err := tx.ExecContext(ctx, setManagerSQL, teamID, p.ID, p.ManagerID); err != nil {
				return fmt.Errorf("set manager of %s: %w", p.ID, err)
			}
		}
		g := &demoGen{rng: rand.New(rand.NewPCG(demoSeed, demoSeed)), now: now.UTC(), people: people}
		for i, c := range demoCompanies {
			acct, err := s.upsertAccount(ctx, tx, teamID, c.name, c.industry, c.size)
			if err != nil {
				return err
			}
			ct, err := s.upsertContact(ctx, tx, teamID, acct.ID, c.contact, c.email)
			if err != nil {
				return err
			}
			sum.Accounts++
			// Three deals for most accounts, so every stage is well filled.
			for range 2 + i%2 {
				d := g.deal(c, acct.ID, ct.ID, settings.Currency)
				if err := s.insertDemoDeal(ctx, tx, teamID, d, &sum); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return DemoSummary{}, fmt.Errorf("store: seed demo of %s: %w", teamID, err)
	}
	return sum, nil
}

func (s *Store) insertDemoDeal(ctx context.Context, ex Executor, teamID string, d demoDeal, sum *DemoSummary) error {
	var id int64
	if err := sqlx.GetContext(ctx, ex, &id, insertDemoDeal, teamID, d.title, d.accountID, d.contactID, string(d.stage),
		d.amount, d.currency, d.recurring, d.expectedClose, d.source, d.score, d.owner, d.created, d.lastActivity,
		d.closedAt, d.lostReason, d.wonAmount); err != nil {
		return fmt.Errorf("insert deal %q: %w", d.title, err)
	}
	for _, h := range d.history {
		if _, err := ex.ExecContext(ctx, insertDemoHistory, teamID, id, d.owner, h.action, h.field, h.old, h.new, h.at); err != nil {
			return fmt.Errorf("insert history: %w", err)
		}
	}
	for _, a := range d.activities {
		if _, err := ex.ExecContext(ctx, insertDemoActivity, teamID, id, d.owner, a.kind, a.body, a.at); err != nil {
			return fmt.Errorf("insert activity: %w", err)
		}
	}
	for _, f := range d.followUps {
		if _, err := ex.ExecContext(ctx, insertDemoFollowUp, teamID, id, d.owner, f.due, f.note, f.created, f.done, f.reminded); err != nil {
			return fmt.Errorf("insert follow-up: %w", err)
		}
	}
	if d.stage == pipeline.StageWon {
		if _, err := ex.ExecContext(ctx, markCustomerSQL, teamID, d.accountID, d.closedAt); err != nil {
			return fmt.Errorf("mark customer: %w", err)
		}
	}
	sum.Deals++
	sum.Activities += len(d.activities)
	sum.FollowUps += len(d.followUps)
	switch d.stage {
	case pipeline.StageWon:
		sum.Won++
	case pipeline.StageLost:
		sum.Lost++
	default:
		sum.Open++
	}
	return nil
}

const (
	hasDealsSQL   = `SELECT EXISTS (SELECT 1 FROM deals WHERE workspace_id = $1)`
	demoPeopleSQL = `SELECT id, name, role, timezone, COALESCE(manager_id, '') AS manager_id FROM users WHERE workspace_id = $1 AND NOT deactivated ORDER BY id`
)

// HasDeals reports whether the workspace has any deal.
func (s *Store) HasDeals(ctx context.Context, ex Executor, teamID string) (bool, error) {
	var ok bool
	if err := sqlx.GetContext(ctx, ex, &ok, hasDealsSQL, teamID); err != nil {
		return false, fmt.Errorf("store: has deals %s: %w", teamID, err)
	}
	return ok, nil
}

// DemoPeople returns the workspace's known, active people, to spread demo
// deals over in a real workspace.
func (s *Store) DemoPeople(ctx context.Context, ex Executor, teamID string) ([]DemoPerson, error) {
	var rows []struct {
		ID        string `db:"id"`
		Name      string `db:"name"`
		Role      string `db:"role"`
		Timezone  string `db:"timezone"`
		ManagerID string `db:"manager_id"`
	}
	if err := sqlx.SelectContext(ctx, ex, &rows, demoPeopleSQL, teamID); err != nil {
		return nil, fmt.Errorf("store: people of %s: %w", teamID, err)
	}
	out := make([]DemoPerson, len(rows))
	for i, r := range rows {
		// Managers are kept as they are: SeedDemo only sets a manager when given.
		out[i] = DemoPerson{ID: r.ID, Name: r.Name, Role: r.Role, Timezone: r.Timezone}
	}
	return out, nil
}

// emptyWorkspaceSQL deletes a workspace's pipeline — follow-ups, notes,
// history, deals, contacts and accounts — and keeps its people, settings
// and routing rules. Deal numbers go on from the last one, so a number
// never names two different deals in old messages.
var emptyWorkspaceSQL = []string{
	// The history's append-only trigger lets this transaction delete this
	// workspace's rows, and nothing else.
	`SELECT set_config('salesbot.emptying_workspace', $1, true)`,
	`DELETE FROM follow_ups WHERE workspace_id = $1`,
	`DELETE FROM activities WHERE workspace_id = $1`,
	`DELETE FROM deal_history WHERE workspace_id = $1`,
	`UPDATE deals SET parent_deal_id = NULL WHERE workspace_id = $1 AND parent_deal_id IS NOT NULL`,
	`DELETE FROM deals WHERE workspace_id = $1`,
	`DELETE FROM contacts WHERE workspace_id = $1`,
	`DELETE FROM accounts WHERE workspace_id = $1`,
}

// EmptyWorkspace deletes the workspace's deals and all that hangs on them,
// in one transaction (ex's, when it is one).
func (s *Store) EmptyWorkspace(ctx context.Context, ex Executor, teamID string) error {
	return s.inTx(ctx, ex, func(tx *sqlx.Tx) error {
		for _, q := range emptyWorkspaceSQL {
			if _, err := tx.ExecContext(ctx, q, teamID); err != nil {
				return fmt.Errorf("store: empty workspace %s: %w", teamID, err)
			}
		}
		return nil
	})
}
