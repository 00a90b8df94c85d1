package sales

import "salesbot/pipeline"

// OwnerDeals asks for one person's open deals, as a manager's Home opens a
// rep's pipeline: the actor must be allowed to see them (ErrForbidden).
type OwnerDeals struct {
	Actor pipeline.User // as salesbot knows them, role included
	Owner string
}

// OwnerPipeline is what OwnerDeals found: the owner's open deals in
// pipeline order (at most HomeDeals) and the workspace's stages.
type OwnerPipeline struct {
	Owner  string
	Stages []pipeline.StageDef
	Open   []pipeline.Deal
}
