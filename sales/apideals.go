package sales

import (
	"time"

	"salesbot/pipeline"
)

// DealFilter asks for a page of a workspace's deals, oldest change first
// (updated_at, then id), as an API client syncing them reads them. The
// workspace is the API key's: the key is the authorization.
type DealFilter struct {
	Stage        string     // a stage of the workspace, as a person types it; empty = all
	Owner        string     // a Slack user ID; empty = all
	UpdatedSince *time.Time // changed at or after; nil = all
	After        *DealCursor
	Limit        int
}

// DealCursor is where the previous page ended: a deal's updated_at and id.
// A deal changed while a client pages moves behind the cursor, so it comes
// again on a later page rather than being missed.
type DealCursor struct {
	UpdatedAt time.Time
	ID        int64
}

// DealPage is one page of deals; Next is nil on the last one.
type DealPage struct {
	Deals []pipeline.Deal
	Next  *DealCursor
}
