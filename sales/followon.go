package sales

import "salesbot/pipeline"

// The kinds of follow-on deal: more of the same to a customer, or something
// else.
const (
	Upsell    = pipeline.KindUpsell
	CrossSell = pipeline.KindCrossSell
)

// OpenFollowOnDeal is a request for a new deal on an existing deal's
// account and contact.
type OpenFollowOnDeal struct {
	Team   string
	Actor  pipeline.User // as salesbot knows them, role included
	Number int64         // the parent deal's number in Team
	Kind   string        // Upsell or CrossSell
	Title  string        // "" names it after the account and the kind
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// FollowOnDealOpened is what OpenFollowOnDeal did.
type FollowOnDealOpened struct {
	Parent pipeline.Deal
	Deal   pipeline.Deal // the new one: a lead owned by the actor
}
