package store

import (
	"context"
	"fmt"
)

// LastStageMover is who made the deal's last stage move ("" when none).
func (s *Store) LastStageMover(ctx context.Context, ex Executor, teamID string, dealID int64) (string, error) {
	var by string
	err := s.get(ctx, ex, &by, `SELECT COALESCE((SELECT actor_id FROM deal_history
		WHERE workspace_id = $1 AND deal_id = $2 AND action = 'stage' AND field = 'stage'
		ORDER BY id DESC LIMIT 1), '')`, teamID, dealID)
	if err != nil {
		return "", fmt.Errorf("store: who last moved deal %d: %w", dealID, err)
	}
	return by, nil
}
