package sales

import "errors"

// ErrWorkspaceHasDeals is a workspace that already has deals: demo data
// never mixes with real (or earlier demo) data.
var ErrWorkspaceHasDeals = errors.New("the workspace already has deals")
