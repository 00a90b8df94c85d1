package sales

import "salesbot/pipeline"

// Why a deal is suggested for a message ("Add to deal").
const (
	SuggestRoom    = "room"    // the message is in the deal's room
	SuggestMention = "mention" // the message names its account, contact or email
	SuggestRecent  = "recent"  // one of the person's recent deals
)

// SuggestDeals asks which deals a Slack message could be added to, for
// the person who chose "Add to deal" on it.
type SuggestDeals struct {
	Actor   pipeline.User
	Channel string // the message's conversation
	Text    string // the message as plain text
}

// DealSuggestion is one deal offered for a message and why.
type DealSuggestion struct {
	Deal pipeline.Deal
	Why  string // SuggestRoom, SuggestMention or SuggestRecent
}

// DealSuggestions are the deals the person may change that suit the
// message, each once, in this order: the room's deal, the deals the
// message names (open ones first), the person's recent deals.
type DealSuggestions struct {
	Deals []DealSuggestion
	// Matched says whether the room or the text pointed at any deal; when
	// not, only the person's recent deals are offered.
	Matched bool
}

// AddMessage is a request to log a Slack message as an activity on a deal.
type AddMessage struct {
	Team    string
	Actor   pipeline.User // who adds it
	Number  int64         // the deal's number in Team
	Message pipeline.CapturedMessage
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// MessageAdded is what AddMessage did.
type MessageAdded struct {
	Deal     pipeline.Deal
	Activity pipeline.Activity // the message's activity, Source set
	// Already is true when the message was on the deal before: nothing
	// was logged, and Activity is the first time it was added.
	Already bool
}
