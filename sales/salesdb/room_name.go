package salesdb

import (
	"context"
	"fmt"
)

// RoomNameTried records the name the job is about to give deal dealID's
// room's channel, at once and in a transaction of its own: should the
// process stop after Slack made the channel and before RoomChannelMade, a
// retry meeting name_taken for that name knows the channel may be its own.
func (s *Service) RoomNameTried(ctx context.Context, team string, dealID int64, name string) error {
	ok, err := s.store.SetRoomTryName(ctx, s.store.DB(), team, dealID, name)
	if err == nil && !ok {
		return fmt.Errorf("salesdb: room of deal %d: name %s not recorded (gone, or made already)", dealID, name)
	}
	return err
}
