package sales

import "errors"

// ErrNoRep is returned by routing when no rep can take the lead: everyone
// is away, deactivated, at capacity or has declined it.
var ErrNoRep = errors.New("no rep can take the lead right now")
