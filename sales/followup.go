package sales

import (
	"salesbot/pipeline"
	"time"
)

// ScheduleFollowUp is a request to remind a deal's owner to follow it up.
// The time is resolved already: reading "tomorrow 10am" in the person's
// timezone is the caller's part.
type ScheduleFollowUp struct {
	Team   string
	Actor  pipeline.User // as salesbot knows them, role included
	Number int64         // the deal's number in Team
	Due    time.Time     // when the reminder is due
	Note   string        // what to do then; may be empty
	// OnClosedDeal is the person's yes to a follow-up on a closed deal;
	// without it such a deal refuses with ErrDealClosed.
	OnClosedDeal bool
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// FollowUpScheduled is what ScheduleFollowUp did.
type FollowUpScheduled struct {
	Deal     pipeline.Deal
	FollowUp pipeline.FollowUp
}
