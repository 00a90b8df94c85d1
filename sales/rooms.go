package sales

import (
	"fmt"
	"time"

	"salesbot/pipeline"
)

// OpenRoom asks for a deal's room (its channel in Slack). Who may change
// the deal may open its room.
type OpenRoom struct {
	Team   string
	Actor  pipeline.User
	Number int64
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// RoomAsked is what OpenRoom did: Room is the new room, opening, or the
// one the deal had already (Existed).
type RoomAsked struct {
	Deal    pipeline.Deal
	Room    pipeline.Room
	Existed bool
}

// AddRoomMember adds a person to a deal's room, asking for the room when
// the deal has none: they are invited now when it is open, else when it
// opens.
type AddRoomMember struct {
	Team   string
	Actor  pipeline.User
	Number int64
	User   string // the Slack user ID of the person to add
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// RoomMemberAdded is what AddRoomMember did.
type RoomMemberAdded struct {
	Deal    pipeline.Deal
	Room    pipeline.Room
	User    string
	Already bool // added before: nothing changed
	Asked   bool // the deal had no room: this asked for it
}

// RoomWork is what the job that opens a room needs: the room, its deal,
// the card's details, the name to give it and whom to invite.
type RoomWork struct {
	Room    pipeline.Room
	Deal    pipeline.Deal
	Details CardDetails
	Name    string   // the channel's name before any suffix
	Invite  []string // the owner, their manager and the added members, active ones only
}

// RoomRefusal is why Slack refused a step of a room, in Slack's words: Op
// (create, invite, pin, archive), Code (its error code, such as
// missing_scope) and, for missing_scope, the scope it named.
type RoomRefusal struct {
	Op, Code, Needed string
	User             string // for invite: who was not invited
}

// RoomOpened tells the requester (To) that the room is open; Problems are
// the steps after the channel was made that Slack refused (an invitation,
// the pin), which were skipped.
type RoomOpened struct {
	To       string
	Deal     pipeline.Deal
	Room     pipeline.Room
	Problems []RoomRefusal
}

// RoomRefused tells the requester (To) that Slack refused to make the
// room, and why; nothing of it is left, so they may ask again.
type RoomRefused struct {
	To   string
	Deal pipeline.Deal
	Why  RoomRefusal
	At   time.Time
}

// RoomInviteRefused tells who added User to an open room (To) that Slack
// refused to invite them.
type RoomInviteRefused struct {
	To   string
	Deal pipeline.Deal
	Room pipeline.Room
	User string
	Why  RoomRefusal
}

func (RoomInviteRefused) notice() {}
func (RoomOpened) notice()        {}
func (RoomRefused) notice()       {}

// ErrRoomArchived refuses adding someone to an archived room.
type ErrRoomArchived struct {
	Number    int64
	ChannelID string
}

func (e ErrRoomArchived) Error() string {
	return fmt.Sprintf("the room of D-%d is archived", e.Number)
}
