package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const selectUsers = `SELECT ` + userColumns + ` FROM users WHERE workspace_id = $1 AND id = ANY($2::text[])`

// Served by users_manager_idx.
const selectTeam = `SELECT ` + userColumns + ` FROM users WHERE workspace_id = $1 AND manager_id = $2 ORDER BY name, id`

// Selecting from workspaces makes an unknown workspace return no row (so
// ErrNotFound) instead of a foreign-key error.
const upsertRole = `
INSERT INTO users (workspace_id, id, role)
SELECT w.id, $2, $3 FROM workspaces w WHERE w.id = $1
ON CONFLICT (workspace_id, id) DO UPDATE SET role = EXCLUDED.role, updated_at = now()
RETURNING id`

const upsertTimezone = `
INSERT INTO users (workspace_id, id, timezone)
SELECT w.id, $2, $3 FROM workspaces w WHERE w.id = $1
ON CONFLICT (workspace_id, id) DO UPDATE SET timezone = EXCLUDED.timezone, updated_at = now()
RETURNING id`

// One statement for the manager and the reps, so two team changes at once
// cannot leave a mix of both.
const updateTeam = `
UPDATE users SET
    role = CASE WHEN id = $2 AND role = 'rep' THEN 'manager' ELSE role END,
    manager_id = CASE WHEN id = ANY($3::text[]) THEN $2 ELSE manager_id END,
    updated_at = now()
WHERE workspace_id = $1 AND (id = $2 OR id = ANY($3::text[]))
RETURNING id`

// ensurePeople inserts bare rows for the given people not known yet,
// ignoring empty IDs (the bot acting on its own).
func (s *Store) ensurePeople(ctx context.Context, ex Executor, teamID string, ids ...string) error {
	ids = slices.DeleteFunc(slices.Clone(ids), func(id string) bool { return id == "" })
	if len(ids) == 0 {
		return nil
	}
	return s.ensureUserIDs(ctx, ex, teamID, ids...)
}

// Users returns the workspace's people with these IDs, by ID; IDs the
// workspace does not know are simply absent.
func (s *Store) Users(ctx context.Context, ex Executor, teamID string, ids []string) (map[string]pipeline.User, error) {
	var rows []userRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectUsers, teamID, pq.StringArray(ids)); err != nil {
		return nil, fmt.Errorf("store: users of %s: %w", teamID, err)
	}
	out := make(map[string]pipeline.User, len(rows))
	for _, r := range rows {
		out[r.ID] = r.user()
	}
	return out, nil
}

// TeamOf returns the people whose manager is managerID, by name. Deactivated
// people are included: their deals are still the team's.
func (s *Store) TeamOf(ctx context.Context, ex Executor, teamID, managerID string) ([]pipeline.User, error) {
	var rows []userRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectTeam, teamID, managerID); err != nil {
		return nil, fmt.Errorf("store: team of %s: %w", managerID, err)
	}
	out := make([]pipeline.User, len(rows))
	for i, r := range rows {
		out[i] = r.user()
	}
	return out, nil
}

// SetRole gives the person a role, lower or higher than before (unlike
// EnsureUser), recording them first if they are new. A manager made rep
// keeps their team's links, so making them manager again restores the team.
// ErrNotFound when the workspace is unknown.
func (s *Store) SetRole(ctx context.Context, ex Executor, teamID, userID, role string) error {
	return setRole(ctx, ex, teamID, userID, role)
}

func setRole(ctx context.Context, ex Executor, teamID, userID, role string) error {
	if !pipeline.ValidRole(role) || userID == "" {
		return fmt.Errorf("store: set role of %q: unknown role %q", userID, role)
	}
	var id string
	if err := sqlx.GetContext(ctx, ex, &id, upsertRole, teamID, userID, role); err != nil {
		return fmt.Errorf("store: set role of %s: %w", userID, notFound(err))
	}
	return nil
}

// SetManager puts the reps on managerID's team (moving them from any other
// team; reps already on it stay) and makes the manager a manager when they
// were a rep, recording anyone new, in one transaction (ex's, when it is one). ErrNotFound when the
// workspace is unknown.
func (s *Store) SetManager(ctx context.Context, ex Executor, teamID, managerID string, repIDs []string) error {
	return s.inTx(ctx, ex, func(tx *sqlx.Tx) error { return s.setManager(ctx, tx, teamID, managerID, repIDs) })
}

func (s *Store) setManager(ctx context.Context, ex Executor, teamID, managerID string, repIDs []string) error {
	if managerID == "" || slices.Contains(repIDs, managerID) || slices.Contains(repIDs, "") {
		return fmt.Errorf("store: team of %q: a manager cannot be on their own team, and IDs cannot be empty", managerID)
	}
	err := s.ensurePeople(ctx, ex, teamID, append([]string{managerID}, repIDs...)...)
	var ids []string
	if err == nil {
		err = sqlx.SelectContext(ctx, ex, &ids, updateTeam, teamID, managerID, pq.StringArray(repIDs))
	}
	if err == nil && !slices.Contains(ids, managerID) {
		err = ErrNotFound
	}
	if err != nil {
		return fmt.Errorf("store: team of %s: %w", managerID, err)
	}
	return nil
}

// SetUserTimezone records the person's IANA timezone ("" = use the
// workspace's), recording them first if they are new. The caller validates
// the name. ErrNotFound when the workspace is unknown.
func (s *Store) SetUserTimezone(ctx context.Context, ex Executor, teamID, userID, tz string) error {
	if userID == "" {
		return errors.New("store: set timezone: empty user ID")
	}
	var id string
	if err := sqlx.GetContext(ctx, ex, &id, upsertTimezone, teamID, userID, tz); err != nil {
		return fmt.Errorf("store: set timezone of %s: %w", userID, notFound(err))
	}
	return nil
}
