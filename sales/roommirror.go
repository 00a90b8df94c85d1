package sales

import "salesbot/pipeline"

// The notices a deal's room gets: what happens to the deal, posted in its
// channel while the room is open. Each names the room (its channel) and the
// deal as the change left it.

// RoomMoved tells a room its deal moved between open stages, or reopened.
type RoomMoved struct {
	Room     pipeline.Room
	Deal     pipeline.Deal // after the move
	Change   pipeline.StageChange
	By       string
	From, To string // the stages' labels in the workspace
	Entry    int64  // the move's history entry: what keeps it posted once
}

// RoomActivity tells a room an activity was logged on its deal.
type RoomActivity struct {
	Room     pipeline.Room
	Deal     pipeline.Deal
	Activity pipeline.Activity
}

// RoomFollowUp tells a room a follow-up of its deal was scheduled, or done.
type RoomFollowUp struct {
	Room     pipeline.Room
	Deal     pipeline.Deal
	FollowUp pipeline.FollowUp
	By       string
	Done     bool
	Timezone string // the workspace's, for the due time's fallback text
}

// RoomApproval tells a room a discount request of its deal was made,
// approved, rejected or invalidated: Approval.State says which.
type RoomApproval struct {
	Room     pipeline.Room
	Deal     pipeline.Deal
	Approval pipeline.Approval
	By       string // who asked, decided, or changed the deal
}

// RoomClosed tells a room its deal was won or lost, with the deal's
// history in brief: one message, so that the summary follows the outcome.
type RoomClosed struct {
	Room     pipeline.Room
	Deal     pipeline.Deal // as closed: stage, final amount, lost reason
	By       string
	Brief    pipeline.DealBrief
	Stages   []pipeline.StageDef // the workspace's, for the stages' labels
	Timezone string
	Entry    int64 // the close's history entry: what keeps it posted once
}

// RoomEdited tells a room fields of its deal were edited.
type RoomEdited struct {
	Room    pipeline.Room
	Deal    pipeline.Deal // after the edit
	By      string
	Changes []pipeline.FieldChange
	Entry   int64 // the edit's last history entry: what keeps it posted once
}

// RoomOwnerChanged tells a room its deal has a new owner: a handoff
// accepted, or taken over by whoever handed it.
type RoomOwnerChanged struct {
	Room  pipeline.Room
	Deal  pipeline.Deal // with its new owner
	From  string        // the owner before
	Entry int64         // the change's last history entry: what keeps it posted once
}

func (RoomEdited) notice()       {}
func (RoomOwnerChanged) notice() {}
func (RoomMoved) notice()        {}
func (RoomActivity) notice()     {}
func (RoomFollowUp) notice()     {}
func (RoomApproval) notice()     {}
func (RoomClosed) notice()       {}
