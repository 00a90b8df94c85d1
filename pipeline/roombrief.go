package pipeline

import "time"

// StageStep is one move of a deal between stages, as its history has it.
type StageStep struct {
	From, To Stage
	At       time.Time
}

// DealBrief is a deal's history in brief, for the summary its room gets
// when it closes.
type DealBrief struct {
	Steps      []StageStep // oldest first
	Activities int         // activities logged on the deal
	// Approvals counts the deal's discount requests by their state now.
	Approvals map[ApprovalState]int
}
