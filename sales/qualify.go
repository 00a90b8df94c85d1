package sales

import "salesbot/pipeline"

// QualifyLead is a request to store a lead's BANT answers: qualified, it
// moves on from lead; disqualified (Reason set), it closes as lost.
type QualifyLead struct {
	Team    string
	Actor   pipeline.User // as salesbot knows them, role included
	Number  int64         // the deal's number in Team
	Answers pipeline.Qualification
	Reason  string // why it is disqualified; "" qualifies it
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// QualifiedLead is what QualifyLead did. Moved is false when the deal kept
// its stage (qualified already past lead).
type QualifiedLead struct {
	Deal   pipeline.Deal // after the answers, the new score and any move
	Moved  bool
	Change pipeline.StageChange // when Moved
}
