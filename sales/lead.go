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
	// Duplicate is true when an inbound lead repeated an open deal of the
	// workspace (same contact email, or same company when it had no email):
	// Deal is that deal, and the lead was logged on it as an activity
	// instead of created (Created false). A replay of the same idempotency
	// key answers the same and logs nothing more.
	Duplicate bool
	// KeyReused is true when the idempotency key came before with another
	// lead that was logged as a duplicate; nothing changed.
	KeyReused bool
}

// DuplicateLead tells the owner of an open deal that an inbound lead
// repeated it and was logged on it instead of created.
type DuplicateLead struct {
	Deal    pipeline.Deal // the open deal, as it is
	Inbound pipeline.Inbound
	Company string // as the lead gave it
	Contact string // the lead's contact name and email, as given
}

func (DuplicateLead) notice() {}
