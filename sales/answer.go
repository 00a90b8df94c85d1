package sales

import (
	"time"

	"salesbot/pipeline"
)

// ErrNotPending is an answer to an offer that is no longer open: answered
// already, or offered to someone else since.
var ErrNotPending = pipeline.ErrNotPending

// AnswerHandoff is a request to accept or reject the offer of a deal.
type AnswerHandoff struct {
	Team   string
	Actor  pipeline.User // who was offered the deal
	Number int64         // the deal's number in Team
	Accept bool          // false rejects it
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// HandoffAnswered tells the previous owner of a deal how its offer was
// answered.
type HandoffAnswered struct {
	Deal     pipeline.Deal // after the answer
	By       string        // who answered
	Accepted bool
	To       string // the previous owner
}

// LeadRerouted tells a manager (or the lead's creator) that a routed lead
// moved on from a rep who rejected it or let the offer lapse.
type LeadRerouted struct {
	Deal    pipeline.Deal // before it moved on
	Manager string        // who is told
	From    string        // the rep it moved on from
	Lapsed  bool          // From did not answer in time; else they rejected it
	To      string        // the next rep; "" when no one could take it and it stays
	Reason  string        // why To, from routing
	// MissedBy is the response deadline From let pass on an inbound lead;
	// zero for other re-routings.
	MissedBy time.Time
	Timezone string // the workspace's, for showing MissedBy
}

func (HandoffAnswered) notice() {}

func (LeadRerouted) notice() {}

// OfferLapsed tells a rep that a lead offered to them went to the next rep
// because they let the offer lapse: the handoff timeout, or an inbound
// lead's response deadline (MissedBy, shown in Timezone).
type OfferLapsed struct {
	Deal     pipeline.Deal // before it moved on
	Rep      string        // who let it lapse, and is told
	To       string        // the next rep
	MissedBy time.Time     // zero for the handoff timeout
	Timezone string
}

func (OfferLapsed) notice() {}

// HandoffAnswer is what AnswerHandoff did.
type HandoffAnswer struct {
	Deal     pipeline.Deal // after the answer
	Previous string        // the owner before the offer
	// Next is the rep a rejected, routed lead went on to; "" when it did
	// not move on.
	Next string
}
