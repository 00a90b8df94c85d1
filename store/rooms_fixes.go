package store

import (
	"context"
	"fmt"
	"time"
)

// ReaskRoom asks again for a room still opening whose job is gone: the
// request's time (which its new job carries) and requester change; what
// the lost job made (channel, card) is kept for the new one to finish.
func (s *Store) ReaskRoom(ctx context.Context, ex Executor, teamID string, dealID int64, by string, at time.Time) (bool, error) {
	res, err := ex.ExecContext(ctx, `UPDATE deal_rooms SET requested_by = $3, requested_at = $4
		WHERE workspace_id = $1 AND deal_id = $2 AND state = 'opening'`, teamID, dealID, by, at)
	if err != nil {
		return false, fmt.Errorf("store: ask again for room: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// DeleteRoomOfChannel deletes the room whose channel is channelID (its
// members go with it); false when there is none.
func (s *Store) DeleteRoomOfChannel(ctx context.Context, ex Executor, teamID, channelID string) (bool, error) {
	res, err := ex.ExecContext(ctx, `DELETE FROM deal_rooms WHERE workspace_id = $1 AND channel_id = $2`, teamID, channelID)
	if err != nil {
		return false, fmt.Errorf("store: delete room of channel: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}
