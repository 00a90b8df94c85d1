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

const roomColumns = `
workspace_id, deal_id, state, COALESCE(channel_id, '') AS channel_id, name, private, requested_by,
requested_at, opened_at, COALESCE(card_ts, '') AS card_ts, archive_at, archived_at`

type roomRow struct {
	WorkspaceID string       `db:"workspace_id"`
	DealID      int64        `db:"deal_id"`
	State       string       `db:"state"`
	ChannelID   string       `db:"channel_id"`
	Name        string       `db:"name"`
	Private     bool         `db:"private"`
	RequestedBy string       `db:"requested_by"`
	RequestedAt time.Time    `db:"requested_at"`
	OpenedAt    sql.NullTime `db:"opened_at"`
	CardTS      string       `db:"card_ts"`
	ArchiveAt   sql.NullTime `db:"archive_at"`
	ArchivedAt  sql.NullTime `db:"archived_at"`
}

func (r roomRow) room() pipeline.Room {
	return pipeline.Room{
		WorkspaceID: r.WorkspaceID, DealID: r.DealID, State: pipeline.RoomState(r.State),
		ChannelID: r.ChannelID, Name: r.Name, Private: r.Private,
		RequestedBy: r.RequestedBy, RequestedAt: r.RequestedAt,
		OpenedAt: nullTime(r.OpenedAt), CardTS: r.CardTS,
		ArchiveAt: nullTime(r.ArchiveAt), ArchivedAt: nullTime(r.ArchivedAt),
	}
}

func nullTime(t sql.NullTime) *time.Time {
	if !t.Valid {
		return nil
	}
	v := t.Time
	return &v
}

// Room reads the deal's room; false when it has none.
func (s *Store) Room(ctx context.Context, ex Executor, teamID string, dealID int64) (pipeline.Room, bool, error) {
	return getRoom(ctx, ex, `SELECT`+roomColumns+` FROM deal_rooms WHERE workspace_id = $1 AND deal_id = $2`, teamID, dealID)
}

// RoomByChannel reads the room that is channelID; false when the channel
// is no deal's room.
func (s *Store) RoomByChannel(ctx context.Context, ex Executor, teamID, channelID string) (pipeline.Room, bool, error) {
	return getRoom(ctx, ex, `SELECT`+roomColumns+` FROM deal_rooms WHERE workspace_id = $1 AND channel_id = $2`, teamID, channelID)
}

func getRoom(ctx context.Context, ex Executor, query string, args ...any) (pipeline.Room, bool, error) {
	var row roomRow
	err := sqlx.GetContext(ctx, ex, &row, query, args...)
	if errors.Is(err, sql.ErrNoRows) {
		return pipeline.Room{}, false, nil
	}
	if err != nil {
		return pipeline.Room{}, false, fmt.Errorf("store: room: %w", err)
	}
	return row.room(), true, nil
}
