package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// InsertRoom asks for r (state 'opening'); false when the deal has a room
// already, which is left as it is.
func (s *Store) InsertRoom(ctx context.Context, ex Executor, r pipeline.Room) (bool, error) {
	res, err := ex.ExecContext(ctx, `INSERT INTO deal_rooms (workspace_id, deal_id, state, private, requested_by, requested_at)
		VALUES ($1, $2, 'opening', $3, $4, $5) ON CONFLICT (workspace_id, deal_id) DO NOTHING`,
		r.WorkspaceID, r.DealID, r.Private, r.RequestedBy, r.RequestedAt)
	if err != nil {
		return false, fmt.Errorf("store: insert room: %w", err)
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// RoomForUpdate reads and locks the deal's room; false when it has none.
func (s *Store) RoomForUpdate(ctx context.Context, ex Executor, teamID string, dealID int64) (pipeline.Room, bool, error) {
	return getRoom(ctx, ex, `SELECT`+roomColumns+` FROM deal_rooms WHERE workspace_id = $1 AND deal_id = $2 FOR UPDATE`, teamID, dealID)
}

// SetRoomChannel records the channel made for a room still opening without
// one; false when the room is gone or has its channel already.
func (s *Store) SetRoomChannel(ctx context.Context, ex Executor, teamID string, dealID int64, channelID, name string) (bool, error) {
	return roomChanged(ex.ExecContext(ctx, `UPDATE deal_rooms SET channel_id = $3, name = $4
		WHERE workspace_id = $1 AND deal_id = $2 AND channel_id IS NULL`, teamID, dealID, channelID, name))
}

// SetRoomTryName records the name about to be tried for a room still
// opening without a channel; false when the room is gone or has its
// channel already.
func (s *Store) SetRoomTryName(ctx context.Context, ex Executor, teamID string, dealID int64, name string) (bool, error) {
	return roomChanged(ex.ExecContext(ctx, `UPDATE deal_rooms SET name = $3
		WHERE workspace_id = $1 AND deal_id = $2 AND state = 'opening' AND channel_id IS NULL`, teamID, dealID, name))
}

// SetRoomCard records the ts of the room's card, once.
func (s *Store) SetRoomCard(ctx context.Context, ex Executor, teamID string, dealID int64, ts string) (bool, error) {
	return roomChanged(ex.ExecContext(ctx, `UPDATE deal_rooms SET card_ts = $3
		WHERE workspace_id = $1 AND deal_id = $2 AND card_ts IS NULL`, teamID, dealID, ts))
}

// MarkRoomOpen moves a room with its channel from 'opening' to 'open';
// false when it was not opening (opened by an earlier attempt).
func (s *Store) MarkRoomOpen(ctx context.Context, ex Executor, teamID string, dealID int64, at time.Time) (bool, error) {
	return roomChanged(ex.ExecContext(ctx, `UPDATE deal_rooms SET state = 'open', opened_at = $3
		WHERE workspace_id = $1 AND deal_id = $2 AND state = 'opening' AND channel_id IS NOT NULL`, teamID, dealID, at))
}

// DeleteOpeningRoom deletes a room Slack refused to make: only one still
// opening without a channel. False when there was none.
func (s *Store) DeleteOpeningRoom(ctx context.Context, ex Executor, teamID string, dealID int64) (bool, error) {
	return roomChanged(ex.ExecContext(ctx, `DELETE FROM deal_rooms
		WHERE workspace_id = $1 AND deal_id = $2 AND state = 'opening' AND channel_id IS NULL`, teamID, dealID))
}

// AddRoomMember records user as added to the room; false when they were
// already.
func (s *Store) AddRoomMember(ctx context.Context, ex Executor, teamID string, dealID int64, user, by string, at time.Time) (bool, error) {
	return roomChanged(ex.ExecContext(ctx, `INSERT INTO deal_room_members (workspace_id, deal_id, user_id, added_by, added_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`, teamID, dealID, user, by, at))
}

// RoomMembers are the people added to the room, in the order they were.
func (s *Store) RoomMembers(ctx context.Context, ex Executor, teamID string, dealID int64) ([]string, error) {
	var ids []string
	err := sqlx.SelectContext(ctx, ex, &ids, `SELECT user_id FROM deal_room_members
		WHERE workspace_id = $1 AND deal_id = $2 ORDER BY added_at, user_id`, teamID, dealID)
	if err != nil {
		return nil, fmt.Errorf("store: room members: %w", err)
	}
	return ids, nil
}

// RoomMemberAddedBy is who added user to the room; "" when nobody did.
func (s *Store) RoomMemberAddedBy(ctx context.Context, ex Executor, teamID string, dealID int64, user string) (string, error) {
	var by []string
	err := sqlx.SelectContext(ctx, ex, &by, `SELECT added_by FROM deal_room_members
		WHERE workspace_id = $1 AND deal_id = $2 AND user_id = $3`, teamID, dealID, user)
	if err != nil || len(by) == 0 {
		return "", err
	}
	return by[0], nil
}

// RenameRoom records the name a person gave the room's channel; false when
// the channel is no room or has that name already.
func (s *Store) RenameRoom(ctx context.Context, ex Executor, teamID, channelID, name string) (bool, error) {
	return roomChanged(ex.ExecContext(ctx, `UPDATE deal_rooms SET name = $3
		WHERE workspace_id = $1 AND channel_id = $2 AND name <> $3`, teamID, channelID, name))
}

// SetRoomArchived marks the room that is channelID archived (at) or open
// again (at nil); false when the channel is no room or was so already. An
// unarchived room keeps no archive_at: it was archived by a person or
// after the close, and is not archived again by itself.
func (s *Store) SetRoomArchived(ctx context.Context, ex Executor, teamID, channelID string, at *time.Time) (bool, error) {
	if at != nil {
		return roomChanged(ex.ExecContext(ctx, `UPDATE deal_rooms SET state = 'archived', archived_at = $3
			WHERE workspace_id = $1 AND channel_id = $2 AND state = 'open'`, teamID, channelID, *at))
	}
	return roomChanged(ex.ExecContext(ctx, `UPDATE deal_rooms SET state = 'open', archived_at = NULL, archive_at = NULL
		WHERE workspace_id = $1 AND channel_id = $2 AND state = 'archived'`, teamID, channelID))
}

// RoomsToArchive are the workspace's open rooms whose archive_at is at or
// before now, oldest due first, at most limit.
func (s *Store) RoomsToArchive(ctx context.Context, ex Executor, teamID string, limit int, now time.Time) ([]pipeline.Room, error) {
	var rows []roomRow
	err := sqlx.SelectContext(ctx, ex, &rows, `SELECT`+roomColumns+` FROM deal_rooms
		WHERE workspace_id = $1 AND state = 'open' AND archive_at IS NOT NULL AND archive_at <= $3
		ORDER BY archive_at, deal_id LIMIT $2`, teamID, limit, now)
	if err != nil {
		return nil, fmt.Errorf("store: rooms to archive: %w", err)
	}
	out := make([]pipeline.Room, len(rows))
	for i, r := range rows {
		out[i] = r.room()
	}
	return out, nil
}

// RoomSettings reads the workspace's room settings (the defaults when it
// has no settings row yet).
func (s *Store) RoomSettings(ctx context.Context, ex Executor, teamID string) (pipeline.RoomSettings, error) {
	var row struct {
		Private     bool           `db:"room_private"`
		AutoMinor   sql.NullInt64  `db:"room_auto_minor"`
		AutoStage   sql.NullString `db:"room_auto_stage"`
		ArchiveDays int            `db:"room_archive_days"`
	}
	err := sqlx.GetContext(ctx, ex, &row, `SELECT room_private, room_auto_minor, room_auto_stage, room_archive_days
		FROM workspace_settings WHERE workspace_id = $1`, teamID)
	if errors.Is(err, sql.ErrNoRows) {
		return pipeline.RoomSettings{ArchiveDays: 7}, nil
	}
	if err != nil {
		return pipeline.RoomSettings{}, fmt.Errorf("store: room settings: %w", err)
	}
	return pipeline.RoomSettings{Private: row.Private, AutoMinor: row.AutoMinor.Int64,
		AutoStage: pipeline.Stage(row.AutoStage.String), ArchiveDays: row.ArchiveDays}, nil
}

// SaveRoomSettings stores the workspace's room settings; its settings row
// exists (EnsureWorkspace).
func (s *Store) SaveRoomSettings(ctx context.Context, ex Executor, teamID string, rs pipeline.RoomSettings) error {
	var minor sql.NullInt64
	var stage sql.NullString
	if rs.AutoStage != "" {
		minor, stage = sql.NullInt64{Int64: rs.AutoMinor, Valid: true}, sql.NullString{String: string(rs.AutoStage), Valid: true}
	}
	_, err := ex.ExecContext(ctx, `UPDATE workspace_settings SET room_private = $2, room_auto_minor = $3, room_auto_stage = $4,
		room_archive_days = $5 WHERE workspace_id = $1`, teamID, rs.Private, minor, stage, rs.ArchiveDays)
	if err != nil {
		return fmt.Errorf("store: save room settings: %w", err)
	}
	return nil
}

// roomChanged is whether an update or insert touched a row.
func roomChanged(res sql.Result, err error) (bool, error) {
	if err != nil {
		return false, fmt.Errorf("store: %w", err)
	}
	n, err := res.RowsAffected()
	return n > 0, err
}

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
