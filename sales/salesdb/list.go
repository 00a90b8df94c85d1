package salesdb

import (
	"context"

	"salesbot/pipeline"
)

// maxListed bounds the open leads one list reads.
const maxListed = 200

// maxFound bounds the deals one search returns.
const maxFound = 50

// RememberTimezone records the person's timezone as Slack gave it, so it
// is not asked for again.
func (s *Service) RememberTimezone(ctx context.Context, u pipeline.User, tz string) error {
	return s.store.SetUserTimezone(ctx, s.store.DB(), u.WorkspaceID, u.ID, tz)
}
