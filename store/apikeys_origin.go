package store

import (
	"context"
	"fmt"
)

const selectFormOrigin = `
SELECT EXISTS (SELECT 1 FROM api_keys
               WHERE kind = 'form' AND revoked_at IS NULL AND $1 = ANY (allowed_origins))`

// FormOriginKnown reports whether a live form key of any workspace lists
// origin.
func (s *Store) FormOriginKnown(ctx context.Context, ex Executor, origin string) (bool, error) {
	var ok bool
	if err := ex.QueryRowxContext(ctx, selectFormOrigin, origin).Scan(&ok); err != nil {
		return false, fmt.Errorf("store: form origin: %w", err)
	}
	return ok, nil
}
