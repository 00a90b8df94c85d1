package pipeline

import "time"

// RoomState is where a deal room stands.
type RoomState string

const (
	// RoomOpening: asked for; the channel is being made in Slack.
	RoomOpening RoomState = "opening"
	// RoomOpen: the channel exists and mirrors the deal.
	RoomOpen RoomState = "open"
	// RoomArchived: archived by salesbot after the close, or by a person.
	RoomArchived RoomState = "archived"
)

// Room is a deal's channel. ChannelID is empty while it is opening; Name
// follows renames made in Slack.
type Room struct {
	WorkspaceID string
	DealID      int64
	State       RoomState
	ChannelID   string
	Name        string
	Private     bool
	RequestedBy string
	RequestedAt time.Time
	OpenedAt    *time.Time
	CardTS      string
	ArchiveAt   *time.Time
	ArchivedAt  *time.Time
}
