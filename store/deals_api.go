package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// selectDealsPage pages the workspace's deals by (updated_at, id), the
// keyset a client syncing them follows; each filter is off when empty.
const selectDealsPage = selectDeals + `
WHERE d.workspace_id = $1
  AND ($2 = '' OR d.stage = $2)
  AND ($3 = '' OR d.owner_id = $3)
  AND ($4::timestamptz IS NULL OR d.updated_at >= $4)
  AND ($5::timestamptz IS NULL OR (d.updated_at, d.id) > ($5, $6))
ORDER BY d.updated_at, d.id
LIMIT $7`

// DealsPage is up to limit of the workspace's deals in (updated_at, id)
// order, after (afterAt, afterID) when afterAt is set.
func (s *Store) DealsPage(ctx context.Context, ex Executor, teamID string, stage pipeline.Stage, owner string,
	since, afterAt *time.Time, afterID int64, limit int) ([]pipeline.Deal, error) {
	var rows []dealRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectDealsPage, teamID, string(stage), owner, since, afterAt, afterID, limit); err != nil {
		return nil, fmt.Errorf("store: page of deals of %s: %w", teamID, err)
	}
	out := make([]pipeline.Deal, len(rows))
	for i, r := range rows {
		out[i] = r.deal()
	}
	return out, nil
}
