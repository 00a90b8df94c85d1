package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Recipient is how one person wants to be notified.
type Recipient struct {
	ID         string `db:"id"`
	Timezone   string `db:"timezone"`
	Notify     []byte `db:"notify"`
	QuietStart string `db:"quiet_start"`
	QuietEnd   string `db:"quiet_end"`
	ManagerID  string `db:"manager_id"`
	Role       string `db:"role"`
	Away       bool   `db:"away"`
}

const selectRecipients = `
SELECT id, timezone, notify, quiet_start, quiet_end, COALESCE(manager_id, '') AS manager_id, role, away
FROM users
WHERE workspace_id = $1 AND id = ANY($2::text[]) AND NOT deactivated`

// Managers are people with the manager role or with someone reporting to them.
const selectManagers = `
SELECT id, timezone, notify, quiet_start, quiet_end, COALESCE(manager_id, '') AS manager_id, role, away
FROM users u
WHERE u.workspace_id = $1 AND NOT u.deactivated
  AND (u.role = 'manager' OR EXISTS (SELECT 1 FROM users r WHERE r.workspace_id = u.workspace_id AND r.manager_id = u.id))
ORDER BY u.id`

const updateNotify = `
UPDATE users SET notify = $3, quiet_start = $4, quiet_end = $5, updated_at = now()
WHERE workspace_id = $1 AND id = $2`

// Recipients returns the notification choices of the given people of the
// workspace, by ID; deactivated and unknown people are left out.
func (s *Store) Recipients(ctx context.Context, ex Executor, teamID string, ids []string) (map[string]Recipient, error) {
	var rows []Recipient
	if err := sqlx.SelectContext(ctx, ex, &rows, selectRecipients, teamID, pq.StringArray(ids)); err != nil {
		return nil, fmt.Errorf("store: recipients in %s: %w", teamID, err)
	}
	out := make(map[string]Recipient, len(rows))
	for _, r := range rows {
		out[r.ID] = r
	}
	return out, nil
}

// Managers returns the workspace's managers, for the digest they each get.
func (s *Store) Managers(ctx context.Context, ex Executor, teamID string) ([]Recipient, error) {
	var rows []Recipient
	if err := sqlx.SelectContext(ctx, ex, &rows, selectManagers, teamID); err != nil {
		return nil, fmt.Errorf("store: managers of %s: %w", teamID, err)
	}
	return rows, nil
}

// SetNotify stores a person's notification choices (kind → wanted, as
// JSON) and quiet hours ("HH:MM" or both empty). ErrNotFound for an unknown person.
func (s *Store) SetNotify(ctx context.Context, ex Executor, teamID, userID string, notifyJSON []byte, quietStart, quietEnd string) error {
	return setNotify(ctx, ex, teamID, userID, notifyJSON, quietStart, quietEnd)
}

func setNotify(ctx context.Context, ex Executor, teamID, userID string, notifyJSON []byte, quietStart, quietEnd string) error {
	res, err := ex.ExecContext(ctx, updateNotify, teamID, userID, notifyJSON, quietStart, quietEnd)
	if err != nil {
		return fmt.Errorf("store: notify choices of %s: %w", userID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: notify choices of %s: %w", userID, ErrNotFound)
	}
	return nil
}
