package sales

import (
	"fmt"
	"salesbot/pipeline"
)

// ErrOwnLeadsOnly refuses a rep's request for everyone's leads.
var ErrOwnLeadsOnly = fmt.Errorf("%w: a rep sees their own leads", pipeline.ErrForbidden)

// ListLeads asks for open leads: deals at the lead stage.
type ListLeads struct {
	Actor pipeline.User // as salesbot knows them, role included
	All   bool          // all the actor may see: a manager's team, an admin's workspace
	Owner string        // one person's; "" (or the actor) is the actor's own
}

// Whose leads a LeadList holds.
const (
	LeadsMine = "mine"
	LeadsTeam = "team"
	LeadsAll  = "all"
	LeadsOf   = "of" // Owner's
)

// LeadList is what ListLeads found.
type LeadList struct {
	Scope string // LeadsMine, LeadsTeam, LeadsAll or LeadsOf
	Owner string // with LeadsOf
	Leads []pipeline.Deal
}
