package sales

import "salesbot/pipeline"

// SetMentions turns deal mentions on or off in one channel (admins only).
type SetMentions struct {
	Team    string
	Actor   pipeline.User
	Channel string
	On      bool
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}
