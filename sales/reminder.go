package sales

import (
	"fmt"
	"salesbot/pipeline"
	"time"
)

// StaleSnooze is how long snoozing a stale deal quiets its alerts.
const StaleSnooze = 7 * 24 * time.Hour

// ErrFollowUpNotFound is a follow-up that does not exist in the actor's
// workspace (any more): its reminder outlived it.
type ErrFollowUpNotFound struct{ ID int64 }

func (e ErrFollowUpNotFound) Error() string {
	return fmt.Sprintf("follow-up %d is not in this workspace", e.ID)
}

// AnswerFollowUp is a request to answer a follow-up's reminder: Done
// (CompleteFollowUp) or Snooze (SnoozeFollowUp).
type AnswerFollowUp struct {
	Team       string
	Actor      pipeline.User // as salesbot knows them, role included
	FollowUpID int64
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// FollowUpAnswered is what CompleteFollowUp or SnoozeFollowUp did.
type FollowUpAnswered struct {
	FollowUp pipeline.FollowUp
	// AlreadyDone is a follow-up done before this request, left as it was.
	AlreadyDone bool
	Until       time.Time // SnoozeFollowUp: when it is reminded again
}

// SnoozeDeal is a request to quiet a stale deal's alerts for StaleSnooze.
type SnoozeDeal struct {
	Team   string
	Actor  pipeline.User // as salesbot knows them, role included
	Number int64         // the deal's number in Team
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// DealSnoozed is what SnoozeDeal did.
type DealSnoozed struct {
	Deal  pipeline.Deal
	Until time.Time // no stale alerts about it before then
}
