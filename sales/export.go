package sales

import (
	"bytes"
	"fmt"
	"salesbot/pipeline"
)

// ErrTooManyToExport is an export of more deals than its limit allows.
type ErrTooManyToExport struct{ Limit int }

func (e ErrTooManyToExport) Error() string {
	return fmt.Sprintf("more than %d deals to export", e.Limit)
}

// ExportRequest asks for a workspace's deals as CSV.
type ExportRequest struct {
	Team string
	// Owners restricts the export to these owners' deals; nil is every
	// deal of the workspace.
	Owners []string
	// Limit bounds the deals written (ErrTooManyToExport past it); 0 is no
	// limit.
	Limit int
}

// ExportDeals is a person's export request.
type ExportDeals struct {
	ReportRequest
	Limit int
	// IdempotencyKey identifies the request: it is held until Deliver has
	// the file, so a redelivery waits and sends nothing (ErrDuplicate),
	// and a failed delivery frees it for a retry.
	IdempotencyKey string
}

// ExportedDeals is the export handed to the deliverer.
type ExportedDeals struct {
	Scope pipeline.Scope
	Count int
	CSV   *bytes.Buffer
}
