package sales

import (
	"errors"
	"fmt"
	"salesbot/pipeline"
)

// ErrDuplicate is a request whose idempotency key was claimed already: it
// was carried out (or is being carried out) by an earlier delivery, and
// nothing was changed this time.
var ErrDuplicate = errors.New("already handled")

// ErrNotFound is a deal number that does not exist in the actor's
// workspace. It is the same whether the number exists elsewhere or not at
// all, so it says nothing about other workspaces.
type ErrNotFound struct{ Number int64 }

func (e ErrNotFound) Error() string {
	return fmt.Sprintf("%s is not in this workspace", pipeline.FormatRef(e.Number))
}

// ErrForbidden is a deal the actor may not work on, or a workspace-wide
// change they may not make; Owner is whose the deal is (empty for the latter).
// It wraps pipeline.ErrForbidden, whose message says why.
type ErrForbidden struct {
	Owner string
	Why   error // why, when it is more than whose the deal is; wraps pipeline.ErrForbidden
}

func (e ErrForbidden) Error() string {
	if e.Why == nil {
		return fmt.Sprintf("%v: that deal belongs to <@%s>", pipeline.ErrForbidden, e.Owner)
	}
	return e.Why.Error()
}

func (e ErrForbidden) Unwrap() error {
	if e.Why == nil {
		return pipeline.ErrForbidden
	}
	return e.Why
}

// Refusals that come up from the store as they are; errors.Is tells them.
var (
	// ErrConflict is a deal that changed while the request was on its way.
	ErrConflict = pipeline.ErrConflict
	// ErrOwnsAlready is a deal offered to the person who owns it.
	ErrOwnsAlready = pipeline.ErrAlreadyOwner
)
