package sales

import (
	"fmt"
	"time"

	"salesbot/pipeline"
)

// ClosedFollowUps are the open follow-ups a deal's close finished: their IDs
// and the time they were marked done, which KeepFollowUps matches.
type ClosedFollowUps struct {
	IDs []int64
	At  time.Time
}

// KeepFollowUps is a request to reopen the follow-ups closing a deal
// finished (the closing answer's button).
type KeepFollowUps struct {
	Team   string
	Actor  pipeline.User
	Number int64 // the deal's number in Team
	Closed ClosedFollowUps
	// IdempotencyKey identifies the request among all of Team's.
	IdempotencyKey string
}

// FollowUpsKept is what KeepFollowUps did: Kept is how many it reopened,
// none when they were kept (or done by hand) already.
type FollowUpsKept struct {
	Deal pipeline.Deal
	Kept int
}

// ErrDealClosed is a follow-up asked for on a closed deal without the
// person's yes (ScheduleFollowUp.OnClosedDeal).
type ErrDealClosed struct {
	Number int64
	Stage  string // the stage's label in the workspace
}

func (e ErrDealClosed) Error() string {
	return fmt.Sprintf("%s is %s", pipeline.FormatRef(e.Number), e.Stage)
}

// CelebrationHint tells someone, once per workspace, that a won deal was
// announced nowhere because no celebration channel is set.
type CelebrationHint struct {
	To     string // a Slack user ID: the winner or an admin
	Deal   pipeline.Deal
	Admins []string // who can set the channel
}

func (CelebrationHint) notice() {}
