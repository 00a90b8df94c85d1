package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

const selectAdmins = `
SELECT id FROM users
WHERE workspace_id = $1 AND role = 'admin' AND NOT deactivated
ORDER BY id`

// Admins are the Slack user IDs of the workspace's active admins, sorted.
func (s *Store) Admins(ctx context.Context, ex Executor, teamID string) ([]string, error) {
	var ids []string
	if err := sqlx.SelectContext(ctx, ex, &ids, selectAdmins, teamID); err != nil {
		return nil, fmt.Errorf("store: admins of %s: %w", teamID, err)
	}
	return ids, nil
}
