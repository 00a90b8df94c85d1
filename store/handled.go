package store

import (
	"context"
	"fmt"
	"time"
)

const claimKey = `
INSERT INTO handled_keys (workspace_id, key) VALUES ($1, $2)
ON CONFLICT (workspace_id, key) DO NOTHING`

// ClaimKey records that the request identified by key is being carried out
// through ex (the request's transaction). It returns false when the key was claimed before: the request was
// already handled (or is being handled by a concurrent transaction, which
// this one then waits for) and must change nothing.
func (s *Store) ClaimKey(ctx context.Context, ex Executor, teamID, key string) (bool, error) {
	res, err := ex.ExecContext(ctx, claimKey, teamID, key)
	if err != nil {
		return false, fmt.Errorf("store: claim key: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: claim key: %w", err)
	}
	return n == 1, nil
}

// Served by handled_keys_created_idx. A key under OnceKeyPrefix marks
// something done once for good (a hint given), so it stays.
const pruneHandledKeys = `DELETE FROM handled_keys WHERE created_at < $1 AND key NOT LIKE '` + OnceKeyPrefix + `%'`

// OnceKeyPrefix starts the keys of what a workspace is told once ever;
// pruning keeps them.
const OnceKeyPrefix = "once:"

// PruneHandledKeys deletes the keys claimed before before, in every
// workspace, and returns how many: a redelivered envelope or a second click
// comes within minutes, so an old key can no longer match a request.
func (s *Store) PruneHandledKeys(ctx context.Context, ex Executor, before time.Time) (int64, error) {
	res, err := ex.ExecContext(ctx, pruneHandledKeys, before)
	if err != nil {
		return 0, fmt.Errorf("store: prune handled keys: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, fmt.Errorf("store: prune handled keys: %w", err)
	}
	return n, nil
}
