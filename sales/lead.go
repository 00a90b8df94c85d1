package sales

import "salesbot/pipeline"

// CreatedLead is what CreateLead did.
type CreatedLead struct {
	Deal pipeline.Deal
	// Created is false for a request whose idempotency key was used
	// already: Deal is then the lead that request created, and nothing
	// changed.
	Created bool
	// RoutedTo is the rep routing chose when the lead came without an
	// owner, and Reason why; both empty when it was not routed or no rep
	// could take it (the lead then stays with its creator).
	RoutedTo, Reason string
}
