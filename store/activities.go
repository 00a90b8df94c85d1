package store

import (
	"context"
	"fmt"
	"time"

	"salesbot/pipeline"
)

// Logging an activity moves last_activity_at, which is what ends a deal's
// staleness. It leaves stale_alerted_on alone: that column only records the
// day the last stale alert went out, and a deal with fresh activity cannot be
// stale again before its stage's threshold (at least a day) has passed, so
// keeping the date never holds back an alert that is due. The UPDATE comes
// first so that a deal of another workspace inserts nothing.
const insertActivity = `
WITH d AS (
    UPDATE deals SET last_activity_at = $6
    WHERE workspace_id = $1 AND id = $2
    RETURNING id
), a AS (
    INSERT INTO activities (workspace_id, deal_id, author_id, kind, body, created_at)
    SELECT $1, d.id, $3, $4, $5, $6 FROM d
    RETURNING id, deal_id, author_id, kind, body, created_at
), h AS (
    INSERT INTO deal_history (workspace_id, deal_id, actor_id, action, field, new_value, created_at)
    SELECT $1, a.deal_id, a.author_id, 'note', a.kind, a.body, a.created_at FROM a
)
SELECT id, deal_id, author_id, kind, body, created_at FROM a`

type activityRow struct {
	ID        int64     `db:"id"`
	DealID    int64     `db:"deal_id"`
	AuthorID  string    `db:"author_id"`
	Kind      string    `db:"kind"`
	Body      string    `db:"body"`
	CreatedAt time.Time `db:"created_at"`
}

// AddActivity logs a note, call, email, meeting or other activity (kind; ""
// means note) at now on deal d through ex, resets the deal's staleness and appends a
// "note" history entry (field = kind, new value = body). ErrNotFound when
// the workspace has no such deal.
func (s *Store) AddActivity(ctx context.Context, ex Executor, d pipeline.Deal, authorID, kind, body string, now time.Time) (pipeline.Activity, error) {
	if kind == "" {
		kind = "note"
	}
	if err := s.ensurePeople(ctx, ex, d.WorkspaceID, authorID); err != nil {
		return pipeline.Activity{}, fmt.Errorf("store: log activity on %s: %w", d.Ref(), err)
	}
	var r activityRow
	if err := s.get(ctx, ex, &r, insertActivity, d.WorkspaceID, d.ID, authorID, kind, body, now); err != nil {
		return pipeline.Activity{}, fmt.Errorf("store: log activity on %s: %w", d.Ref(), notFound(err))
	}
	return pipeline.Activity{ID: r.ID, DealID: r.DealID, AuthorID: r.AuthorID, Kind: r.Kind,
		Body: r.Body, CreatedAt: r.CreatedAt}, nil
}
