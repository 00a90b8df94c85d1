package pipeline

import "errors"

// StaleDeal is an open deal idle past its stage's threshold.
type StaleDeal struct {
	Deal
	StaleDays      int
	ManagerID      string // the owner's manager, "" when none
	AlertedToday   bool
	EscalatedToday bool
}

// DueFollowUp is a follow-up whose reminder is due, with what the reminder shows.
type DueFollowUp struct {
	FollowUp
	DealTitle   string
	AccountName string
}

// Recipient is a person about to be notified, with their choices.
type Recipient struct {
	ID        string
	Timezone  string
	ManagerID string
	Role      string
	Away      bool
	Notify    NotifyPrefs
}

// Errors a change can meet when the data moved under it; their text can be
// shown to people.
var (
	// ErrConflict: a deal is no longer in the state the change was planned
	// from (another change committed first); read it again and retry.
	ErrConflict = errors.New("the deal changed meanwhile: look at it again and retry")
	// ErrNotPending: a handoff offer was accepted, rejected or withdrawn
	// already, or the person answering is no longer the one it was made to.
	ErrNotPending = errors.New("this offer was already answered")
	// ErrAlreadyOwner: the deal is offered to the person who owns it.
	ErrAlreadyOwner = errors.New("the deal already belongs to them")
)

// Follow-on deal kinds: more of the same to a customer, or something else.
const (
	KindUpsell    = "upsell"
	KindCrossSell = "cross_sell"
)
