package sales

import (
	"salesbot/pipeline"
	"time"
)

// HomeDeals bounds how many deals the Home tab reads per list.
const HomeDeals = 200

// ReadHome asks for what a person's App Home shows.
type ReadHome struct {
	Actor    pipeline.User  // as salesbot knows them, role included
	Currency string         // the workspace's, in which totals are summed
	Loc      *time.Location // the person's timezone: "due today" ends at their midnight
}

// Home is what a person's App Home shows.
type Home struct {
	Actor    pipeline.User
	Currency string
	Now      time.Time
	Stages   []pipeline.StageDef
	Open     []pipeline.Deal // the person's open deals, in pipeline order; at most HomeDeals
	Due      []DueFollowUp   // their follow-ups due by the end of their day
	Stale    []pipeline.Deal // their deals idle longer than their stage allows
	Team     []TeamMember    // a manager's (or admin's) reps
}

// DueFollowUp is a follow-up with the account it is about.
type DueFollowUp struct {
	pipeline.FollowUp
	AccountName string
}

// TeamMember is one of a manager's reps with their open pipeline.
type TeamMember struct {
	User   pipeline.User
	Open   int   // open deals
	Amount int64 // their open amount in the workspace currency, minor units
	Stale  int   // stale deals
}
