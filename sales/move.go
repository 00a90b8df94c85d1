package sales

import (
	"salesbot/pipeline"
	"time"
)

// MoveDeal is a request to change a deal's stage: a move along the
// pipeline, a win (Move.To won, with an optional final amount), a loss
// (Move.To lost, with the reason) or a reopen.
type MoveDeal struct {
	Team   string
	Actor  pipeline.User // as salesbot knows them, role included
	Number int64         // the deal's number in Team (D-42 is 42)
	Move   pipeline.Move
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// MovedDeal is what MoveDeal did.
type MovedDeal struct {
	Before, After pipeline.Deal
	Change        pipeline.StageChange
	// ClosedFollowUps are the open follow-ups closing the deal finished.
	ClosedFollowUps ClosedFollowUps
}

// DealWon announces a won deal in the workspace's celebration channel.
type DealWon struct {
	Deal    pipeline.Deal // as won, ClosedAt set
	Channel string
	At      time.Time // when it was won
}

// BigDealMoved alerts the workspace's alerts channel that a deal worth at
// least its big-deal threshold changed stage.
type BigDealMoved struct {
	Deal     pipeline.Deal // after the move
	Change   pipeline.StageChange
	By       string // who moved it
	Channel  string
	From, To string // the stages' labels in the workspace
}

func (DealWon) notice() {}

func (BigDealMoved) notice() {}
