package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"salesbot/pipeline"
)

const channelSettingsSQL = `
SELECT mentions, changed_by, changed_at FROM channel_settings WHERE workspace_id = $1 AND channel_id = $2`

// ChannelSettings reads what admins set for channelID; a channel nobody
// set has every setting off (the zero value, ChangedBy "").
func (s *Store) ChannelSettings(ctx context.Context, ex Executor, teamID, channelID string) (pipeline.ChannelSettings, error) {
	cs := pipeline.ChannelSettings{WorkspaceID: teamID, ChannelID: channelID}
	err := ex.QueryRowxContext(ctx, channelSettingsSQL, teamID, channelID).Scan(&cs.Mentions, &cs.ChangedBy, &cs.ChangedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return cs, nil
	}
	if err != nil {
		return cs, fmt.Errorf("store: channel settings: %w", err)
	}
	return cs, nil
}

const setChannelMentionsSQL = `
INSERT INTO channel_settings (workspace_id, channel_id, mentions, changed_by, changed_at) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (workspace_id, channel_id) DO UPDATE SET mentions = $3, changed_by = $4, changed_at = $5`

// SetChannelMentions turns deal mentions on or off in channelID, recording
// who did it and when.
func (s *Store) SetChannelMentions(ctx context.Context, ex Executor, teamID, channelID string, on bool, by string, at time.Time) error {
	if _, err := ex.ExecContext(ctx, setChannelMentionsSQL, teamID, channelID, on, by, at); err != nil {
		return fmt.Errorf("store: set channel mentions: %w", err)
	}
	return nil
}
