package sales

import (
	"fmt"
	"salesbot/pipeline"
)

// ErrAlreadyOwner is a lead handed to the person who owns it already.
type ErrAlreadyOwner struct {
	Number int64
	Owner  string
}

func (e ErrAlreadyOwner) Error() string {
	return fmt.Sprintf("%s already belongs to %s", pipeline.FormatRef(e.Number), e.Owner)
}

// AssignLead is a request to hand a deal to someone else.
type AssignLead struct {
	Team   string
	Actor  pipeline.User // as salesbot knows them, role included
	Number int64         // the deal's number in Team
	To     string        // the new owner's user ID
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// LeadAssigned is what AssignLead did.
type LeadAssigned struct {
	Deal     pipeline.Deal // after the handoff: To's, pending unless Offered is false
	Previous string        // who owned it before
	// Offered is true when To must accept (LeadHandedOver queued); an
	// actor taking a deal themselves needs no offer.
	Offered bool
}
