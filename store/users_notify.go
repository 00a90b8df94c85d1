package store

import (
	"context"
	"encoding/json"
	"fmt"
	"salesbot/pipeline"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Recipient is pipeline.Recipient, as the queries read it.
type Recipient = pipeline.Recipient

type recipientRow struct {
	ID         string `db:"id"`
	Timezone   string `db:"timezone"`
	Notify     []byte `db:"notify"`
	QuietStart string `db:"quiet_start"`
	QuietEnd   string `db:"quiet_end"`
	ManagerID  string `db:"manager_id"`
	Role       string `db:"role"`
	Away       bool   `db:"away"`
}

// recipient decodes the stored choices: this is the one place users.notify
// is read. A malformed value means the defaults (every DM wanted).
func (r recipientRow) recipient() Recipient {
	p := pipeline.NotifyPrefs{Wants: map[string]bool{}, QuietStart: r.QuietStart, QuietEnd: r.QuietEnd}
	if err := json.Unmarshal(r.Notify, &p.Wants); err != nil {
		p.Wants = map[string]bool{}
	}
	return Recipient{ID: r.ID, Timezone: r.Timezone, ManagerID: r.ManagerID, Role: r.Role, Away: r.Away, Notify: p}
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
	var rows []recipientRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectRecipients, teamID, pq.StringArray(ids)); err != nil {
		return nil, fmt.Errorf("store: recipients in %s: %w", teamID, err)
	}
	out := make(map[string]Recipient, len(rows))
	for _, r := range rows {
		out[r.ID] = r.recipient()
	}
	return out, nil
}

// Managers returns the workspace's managers, for the digest they each get.
func (s *Store) Managers(ctx context.Context, ex Executor, teamID string) ([]Recipient, error) {
	var rows []recipientRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectManagers, teamID); err != nil {
		return nil, fmt.Errorf("store: managers of %s: %w", teamID, err)
	}
	out := make([]Recipient, len(rows))
	for i, r := range rows {
		out[i] = r.recipient()
	}
	return out, nil
}

// SetNotify stores a person's notification choices; the caller has
// validated the quiet hours ("HH:MM" or both empty). ErrNotFound for an
// unknown person.
func (s *Store) SetNotify(ctx context.Context, ex Executor, teamID, userID string, prefs pipeline.NotifyPrefs) error {
	wants := prefs.Wants
	if wants == nil {
		wants = map[string]bool{}
	}
	body, err := json.Marshal(wants)
	if err != nil {
		return fmt.Errorf("store: notify choices of %s: %w", userID, err)
	}
	res, err := ex.ExecContext(ctx, updateNotify, teamID, userID, body, prefs.QuietStart, prefs.QuietEnd)
	if err != nil {
		return fmt.Errorf("store: notify choices of %s: %w", userID, err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return fmt.Errorf("store: notify choices of %s: %w", userID, ErrNotFound)
	}
	return nil
}
