package sales

import "salesbot/pipeline"

// FindDeals searches the deals in.Actor may see: their own, a manager's
// team's too, an admin's whole workspace.
type FindDeals struct {
	Actor pipeline.User // as salesbot knows them, role included
	Query string        // company, title or contact, as typed
	Limit int
}
