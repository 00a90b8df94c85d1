package sales

import (
	"time"

	"salesbot/pipeline"
)

// RequestApproval asks for a discount on a deal to be approved: the
// deal's discount becomes DiscountBps and the request goes to the owner's
// manager, or to the admins when the owner has none.
type RequestApproval struct {
	Team        string
	Actor       pipeline.User // someone who may work on the deal
	Number      int64
	DiscountBps int
	Reason      string
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// ApprovalRequest is what RequestApproval did.
type ApprovalRequest struct {
	Deal     pipeline.Deal // with the requested discount
	Approval pipeline.Approval
	// Replaced is the live request this one replaced (invalidated), if any.
	Replaced *pipeline.Approval
}

// DecideApproval approves or rejects (with a reason) an approval request.
type DecideApproval struct {
	Team       string
	Actor      pipeline.User // one of the request's approvers
	ApprovalID int64
	Approve    bool
	Reason     string // required to reject
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// ApprovalDecision is what DecideApproval did.
type ApprovalDecision struct {
	Deal     pipeline.Deal
	Approval pipeline.Approval // as decided
}

// SaveApprovalRules sets a workspace's discount threshold and per-stage
// required fields; only an admin may.
type SaveApprovalRules struct {
	Team  string
	Actor pipeline.User
	Rules pipeline.ApprovalRules
	// IdempotencyKey identifies the request among all of Team's: a
	// redelivery carrying the same key changes nothing (ErrDuplicate).
	IdempotencyKey string
}

// DealApproval is a deal's approval standing, as its card shows it.
type DealApproval struct {
	Deal          pipeline.Deal
	Rules         pipeline.ApprovalRules
	NeedsApproval bool               // the deal's discount needs approval under the rules
	Latest        *pipeline.Approval // the newest request, live or not; nil when none
}

// ApprovalsReminded is what RemindApprovals did.
type ApprovalsReminded struct{ Reminded int }

// Refusals of the approval use cases. The typed ones are the domain's, so
// errors.Is and errors.As tell them.
type (
	// ErrMissingFields is a move to a stage whose required fields the deal lacks.
	ErrMissingFields = pipeline.MissingFieldsError
	// ErrApprovalNeeded is a win below the approved price, or without one.
	ErrApprovalNeeded = pipeline.ApprovalNeededError
	// ErrAlreadyDecided is a decision on a request decided or invalidated first.
	ErrAlreadyDecided = pipeline.AlreadyDecidedError
)

var (
	// ErrNotApprover is a decision by someone who is not an approver.
	ErrNotApprover = pipeline.ErrNotApprover
	// ErrNoApprover is a request no one else could approve.
	ErrNoApprover = pipeline.ErrNoApprover
	// ErrApprovalNotFound is an approval ID not in the actor's workspace.
	ErrApprovalNotFound = pipeline.ErrApprovalNotFound
)

// ApprovalRequested asks an approver (To) to decide a request.
type ApprovalRequested struct {
	To       string
	Deal     pipeline.Deal
	Approval pipeline.Approval
}

// ApprovalDecided tells the requester (To) the decision.
type ApprovalDecided struct {
	To       string
	Deal     pipeline.Deal
	Approval pipeline.Approval
}

// ApprovalInvalidated tells the requester and the approvers (To) that a
// change of the deal's amount or discount, a new request or the deal's
// close (Cause) voided a request.
type ApprovalInvalidated struct {
	To       string
	Deal     pipeline.Deal // after the change
	Approval pipeline.Approval
	By       string // who changed the deal
	Cause    VoidCause
}

// VoidCause is why a live request was voided; it is also the step the
// deal's history records.
type VoidCause string

const (
	VoidChanged  VoidCause = "invalidated" // the amount or discount changed
	VoidReplaced VoidCause = "replaced"    // a new request took its place
	VoidClosed   VoidCause = "closed"      // the deal was closed lost (or won while pending)
)

// ApprovalReminder reminds an approver (To) of a request pending for a
// working day.
type ApprovalReminder struct {
	To       string
	Deal     pipeline.Deal
	Approval pipeline.Approval
	Since    time.Time // when it was requested
}

func (ApprovalRequested) notice()   {}
func (ApprovalDecided) notice()     {}
func (ApprovalInvalidated) notice() {}
func (ApprovalReminder) notice()    {}
