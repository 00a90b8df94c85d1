package sales

import (
	"salesbot/pipeline"
)

// ErrAdminOnly is a request only an admin may make. It wraps
// pipeline.ErrForbidden, whose message says why.
var ErrAdminOnly = pipeline.ErrAdminOnly

// MaxCapacity is the most open routed leads a rep's capacity can be set to.
const MaxCapacity = 10000

// SetRole is a request to give a member of Team a role.
type SetRole struct {
	Team  string
	Actor pipeline.User // must be an admin
	User  string        // who gets the role
	Role  string        // pipeline.RoleRep, RoleManager or RoleAdmin
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// SetTeam is a request to put reps under a manager.
type SetTeam struct {
	Team    string
	Actor   pipeline.User // must be an admin
	Manager string
	Reps    []string
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// SetAway is a request to mark a rep away (no leads are routed to them) or
// back.
type SetAway struct {
	Team  string
	Actor pipeline.User // the rep themselves, or an admin
	User  string
	Away  bool
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// SetCapacity is a request to limit the open leads routed to a rep.
type SetCapacity struct {
	Team     string
	Actor    pipeline.User // must be an admin
	User     string
	Capacity int // open leads, 0 to MaxCapacity; 0 is no limit
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}
