package sales

import "salesbot/pipeline"

// SetNotify is a person's own choice of DMs and quiet hours.
type SetNotify struct {
	Team  string
	Actor pipeline.User
	// Wants says, per pipeline.NotifyKinds name, whether Actor gets that DM.
	Wants map[string]bool
	// QuietStart and QuietEnd are HH:MM in Actor's timezone, both empty
	// for no quiet hours; the form validates them.
	QuietStart, QuietEnd string
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// NotifyChoices are a person's choice of DMs and quiet hours.
type NotifyChoices = pipeline.NotifyPrefs
