package sales

import (
	"context"
	"time"

	"salesbot/pipeline"
)

// Notice is a message a change causes, as data: one of the types below.
type Notice interface{ notice() }

// LeadRouted offers a lead that routing chose a rep for.
type LeadRouted struct {
	Deal   pipeline.Deal
	Reason string // why this rep, from the routing rule or round-robin
	// RespondBy is when the rep must have accepted an inbound lead (or
	// logged an activity on it), from the workspace's response SLA; zero
	// for leads made in Slack. Timezone is the workspace's, for showing it.
	RespondBy time.Time
	Timezone  string
}

// LeadHandedOver offers a lead that a person gave to someone else.
type LeadHandedOver struct {
	Deal pipeline.Deal
	From string // who handed it over
}

func (LeadRouted) notice() {}

func (LeadHandedOver) notice() {}

// Directory answers whether a workspace member can still be given work.
type Directory interface {
	// Active is false for a deactivated account; an error means the
	// directory could not say.
	Active(ctx context.Context, userID string) (bool, error)
}

// ValidationError is input a use case cannot take; Field names the input
// and Msg says what is wrong in words the person can act on.
type ValidationError struct {
	Field string
	Msg   string
}

func (e *ValidationError) Error() string { return e.Msg }
