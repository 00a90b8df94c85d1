package sales

import "salesbot/pipeline"

// CardDetails is what a deal's card shows besides the deal itself.
type CardDetails struct {
	Stages []pipeline.StageDef // the workspace's, for the stage's label
	Next   *pipeline.FollowUp  // the next open follow-up; nil when none
	// Approval is the deal's newest discount approval request; nil when none.
	Approval *pipeline.Approval
	// ApprovalsOn: the workspace requires approval above a discount, so
	// the card offers Request approval.
	ApprovalsOn bool
	// Room is the deal's room; nil when it has none.
	Room *pipeline.Room
}

// DealHistory is a deal and its audit history, newest first.
type DealHistory struct {
	Deal    pipeline.Deal
	Entries []pipeline.HistoryEntry
}
