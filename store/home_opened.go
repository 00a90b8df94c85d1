package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// The person row may not exist yet when the tab is first opened.
const markHomeOpened = `
INSERT INTO users (workspace_id, id, home_opened_at)
SELECT w.id, $2, now() FROM workspaces w WHERE w.id = $1
ON CONFLICT (workspace_id, id) DO UPDATE SET home_opened_at = now()`

const selectHomeOpened = `
SELECT home_opened_at IS NOT NULL FROM users WHERE workspace_id = $1 AND id = $2`

// MarkHomeOpened records that the person opened salesbot's Home tab.
func (s *Store) MarkHomeOpened(ctx context.Context, teamID, userID string) error {
	if _, err := s.db.ExecContext(ctx, markHomeOpened, teamID, userID); err != nil {
		return fmt.Errorf("store: mark home opened: %w", err)
	}
	return nil
}

// HomeOpened reports whether the person has ever opened the Home tab.
func (s *Store) HomeOpened(ctx context.Context, teamID, userID string) (bool, error) {
	var opened bool
	err := s.db.GetContext(ctx, &opened, selectHomeOpened, teamID, userID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return false, fmt.Errorf("store: home opened: %w", err)
	}
	return opened, nil
}

// What a Home refresh needs of a person, in one query.
const selectHomeRefresh = `
SELECT COALESCE(manager_id, '') AS manager_id, home_opened_at IS NOT NULL AS opened
FROM users WHERE workspace_id = $1 AND id = $2`

// HomeRefresh returns who userID's manager is ("" for none) and whether
// they ever opened the Home tab: both false for someone not known yet.
func (s *Store) HomeRefresh(ctx context.Context, teamID, userID string) (manager string, opened bool, err error) {
	var row struct {
		Manager string `db:"manager_id"`
		Opened  bool   `db:"opened"`
	}
	err = s.get(ctx, nil, &row, selectHomeRefresh, teamID, userID)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return "", false, fmt.Errorf("store: home refresh of %s: %w", userID, err)
	}
	return row.Manager, row.Opened, nil
}
