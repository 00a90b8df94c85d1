package sales

import "salesbot/pipeline"

// SaveSettings is a request to replace a workspace's settings.
type SaveSettings struct {
	Team     string
	Actor    pipeline.User     // as salesbot knows them, role included
	Settings pipeline.Settings // the whole of them, validated by the form
	// Stages are the stages whose stale thresholds change; only stages the
	// workspace has.
	Stages []pipeline.StageDef
	// DiscountApproval is the form's approval rules: the discount threshold
	// (On and DiscountOverBps) and, when Required is not nil, the stages'
	// required fields (an empty map clears them; nil keeps them); nil
	// leaves the approval rules alone.
	DiscountApproval *pipeline.ApprovalRules
	// Rooms are the form's deal-room settings; nil leaves them alone.
	Rooms *pipeline.RoomSettings
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}
