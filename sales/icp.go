package sales

import "salesbot/pipeline"

// SetICP is a request to replace a workspace's ideal customer profile.
type SetICP struct {
	Team  string
	Actor pipeline.User // as salesbot knows them, role included
	ICP   pipeline.ICP  // parsed by pipeline.ParseICP
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}
