package sales

import "salesbot/pipeline"

// ActivityKinds are the kinds of activity a person can log on a deal.
var ActivityKinds = []string{"note", "call", "email", "meeting", "other"}

// AddNote is a request to log an activity on a deal.
type AddNote struct {
	Team   string
	Actor  pipeline.User // as salesbot knows them, role included
	Number int64         // the deal's number in Team
	Kind   string        // one of ActivityKinds; "" is a note
	Body   string        // what happened
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// NoteAdded is what AddNote did.
type NoteAdded struct {
	Deal     pipeline.Deal // rescored, its last activity now
	Activity pipeline.Activity
}
