package sales

import (
	"fmt"
	"salesbot/pipeline"
)

// ErrNoSuchRule is a routing rule number the workspace does not have.
type ErrNoSuchRule struct {
	Number int // as asked, 1-based
	Count  int // how many rules there are
}

func (e ErrNoSuchRule) Error() string {
	return fmt.Sprintf("there is no routing rule %d: there are %d", e.Number, e.Count)
}

// ErrTooManyRules is a rule added to a workspace that has as many as it may.
type ErrTooManyRules struct{ Max int }

func (e ErrTooManyRules) Error() string {
	return fmt.Sprintf("a workspace has at most %d routing rules", e.Max)
}

// EditRouting is one change to a workspace's routing rules: exactly one of
// Add, Remove and Clear.
type EditRouting struct {
	Team   string
	Actor  pipeline.User         // must be an admin
	Add    *pipeline.RoutingRule // appended after the others
	Remove int                   // 1-based, as RoutingRules lists them
	Clear  bool
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}
