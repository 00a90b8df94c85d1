package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const userColumns = `workspace_id, id, name, role, COALESCE(manager_id, '') AS manager_id, timezone, away, deactivated`

const selectUser = `SELECT ` + userColumns + ` FROM users WHERE workspace_id = $1 AND id = $2`

// The role only ever goes up here: a profile refresh must not undo a grant.
// Name and timezone are refreshed when given.
const upsertUser = `
INSERT INTO users (workspace_id, id, name, role, manager_id, timezone, away, deactivated)
VALUES ($1, $2, $3, $4, NULLIF($5, ''), $6, $7, $8)
ON CONFLICT (workspace_id, id) DO UPDATE SET
    name = CASE WHEN EXCLUDED.name <> '' THEN EXCLUDED.name ELSE users.name END,
    timezone = CASE WHEN EXCLUDED.timezone <> '' THEN EXCLUDED.timezone ELSE users.timezone END,
    role = CASE WHEN array_position(ARRAY['rep', 'manager', 'admin'], EXCLUDED.role)
                   > array_position(ARRAY['rep', 'manager', 'admin'], users.role)
                THEN EXCLUDED.role ELSE users.role END,
    updated_at = now()
RETURNING ` + userColumns

// insertUserIDs makes sure the people a new deal names exist, without
// touching those already known (and inserts nothing for an unknown
// workspace). The IDs come sorted so that two transactions never take the
// same rows' locks in opposite orders.
const insertUserIDs = `
INSERT INTO users (workspace_id, id)
SELECT w.id, u.id FROM workspaces w, unnest($2::text[]) AS u(id)
WHERE w.id = $1
ON CONFLICT (workspace_id, id) DO NOTHING`

type userRow struct {
	WorkspaceID string `db:"workspace_id"`
	ID          string `db:"id"`
	Name        string `db:"name"`
	Role        string `db:"role"`
	ManagerID   string `db:"manager_id"`
	Timezone    string `db:"timezone"`
	Away        bool   `db:"away"`
	Deactivated bool   `db:"deactivated"`
}

func (r userRow) user() pipeline.User {
	return pipeline.User{WorkspaceID: r.WorkspaceID, ID: r.ID, Name: r.Name, Role: r.Role,
		ManagerID: r.ManagerID, Timezone: r.Timezone, Away: r.Away, Deactivated: r.Deactivated}
}

var roleRank = map[string]int{pipeline.RoleRep: 1, pipeline.RoleManager: 2, pipeline.RoleAdmin: 3}

// User returns one person of the workspace, or ErrNotFound.
func (s *Store) User(ctx context.Context, ex Executor, teamID, userID string) (pipeline.User, error) {
	var row userRow
	if err := s.get(ctx, ex, &row, selectUser, teamID, userID); err != nil {
		return pipeline.User{}, fmt.Errorf("store: user %s: %w", userID, notFound(err))
	}
	return row.user(), nil
}

// EnsureUser records a person on first sight and returns them as stored. For
// someone already known it refreshes a non-empty name and timezone and raises
// the role when u's is higher; it never lowers a role (that takes an explicit
// role change). An empty role means rep. When nothing changes it costs one
// query and writes nothing.
func (s *Store) EnsureUser(ctx context.Context, ex Executor, u pipeline.User) (pipeline.User, error) {
	if u.WorkspaceID == "" || u.ID == "" {
		return pipeline.User{}, errors.New("store: ensure user: empty workspace or user ID")
	}
	if u.Role == "" {
		u.Role = pipeline.RoleRep
	}
	if roleRank[u.Role] == 0 {
		return pipeline.User{}, fmt.Errorf("store: ensure user %s: unknown role %q", u.ID, u.Role)
	}
	cur, err := s.User(ctx, ex, u.WorkspaceID, u.ID)
	switch {
	case err == nil && !userChanges(cur, u):
		return cur, nil
	case err != nil && !errors.Is(err, ErrNotFound):
		return pipeline.User{}, fmt.Errorf("store: ensure user %s: %w", u.ID, err)
	}
	var row userRow
	if err := sqlx.GetContext(ctx, ex, &row, upsertUser, u.WorkspaceID, u.ID, u.Name, u.Role,
		u.ManagerID, u.Timezone, u.Away, u.Deactivated); err != nil {
		return pipeline.User{}, fmt.Errorf("store: ensure user %s: %w", u.ID, err)
	}
	return row.user(), nil
}

// userChanges reports whether EnsureUser(u) would change the stored cur.
func userChanges(cur, u pipeline.User) bool {
	return (u.Name != "" && u.Name != cur.Name) ||
		(u.Timezone != "" && u.Timezone != cur.Timezone) ||
		roleRank[u.Role] > roleRank[cur.Role]
}

// ensureUserIDs inserts bare rows for the given people who are not known yet.
func (s *Store) ensureUserIDs(ctx context.Context, ex Executor, teamID string, ids ...string) error {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if err := s.exec(ctx, ex, insertUserIDs, teamID, pq.StringArray(ids)); err != nil {
		return fmt.Errorf("insert users: %w", err)
	}
	return nil
}

// The person row may not exist yet when the tab is first opened.
const markHomeOpened = `
INSERT INTO users (workspace_id, id, home_opened_at)
SELECT w.id, $2, now() FROM workspaces w WHERE w.id = $1
ON CONFLICT (workspace_id, id) DO UPDATE SET home_opened_at = now()`

// MarkHomeOpened records that the person opened salesbot's Home tab.
func (s *Store) MarkHomeOpened(ctx context.Context, ex Executor, teamID, userID string) error {
	if _, err := ex.ExecContext(ctx, markHomeOpened, teamID, userID); err != nil {
		return fmt.Errorf("store: mark home opened: %w", err)
	}
	return nil
}

// What a Home refresh needs of a person, in one query.
const selectHomeRefresh = `
SELECT COALESCE(manager_id, '') AS manager_id, home_opened_at IS NOT NULL AS opened
FROM users WHERE workspace_id = $1 AND id = $2`

// HomeRefresh returns who userID's manager is ("" for none) and whether
// they ever opened the Home tab: both false for someone not known yet.
func (s *Store) HomeRefresh(ctx context.Context, ex Executor, teamID, userID string) (manager string, opened bool, err error) {
	var row struct {
		Manager string `db:"manager_id"`
		Opened  bool   `db:"opened"`
	}
	err = s.get(ctx, ex, &row, selectHomeRefresh, teamID, userID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", false, fmt.Errorf("store: home refresh of %s: %w", userID, err)
	}
	return row.Manager, row.Opened, nil
}
