package sales

import (
	"salesbot/pipeline"
	"time"
)

// StaleDeal is an open deal idle past its stage's limit, as the morning
// alerts read it.
type StaleDeal = pipeline.StaleDeal

// FollowUpDue is a follow-up due, with its deal's names.
type FollowUpDue = pipeline.DueFollowUp

// Recipient is a person about to get a DM: their timezone, notification
// choices and quiet hours.
type Recipient = pipeline.Recipient

// AlertItems is what one person hears about in the morning run.
type AlertItems struct {
	Stale     []StaleDeal     // their deals gone quiet
	Close     []pipeline.Deal // their deals past the expected close date
	Escalated []StaleDeal     // their team's deals quiet for twice the limit
}

// AlertsRequest asks for the morning alerts due at At.
type AlertsRequest struct {
	Team string
	At   time.Time
	// Day is At's date in the workspace timezone (YYYY-MM-DD): a deal is
	// alerted about once a day.
	Day string
	// Stale and Close say which alerts the workspace has switched on.
	Stale, Close bool
}

// PersonAlerts is one person's morning alerts.
type PersonAlerts struct {
	ID        string
	Active    bool      // false for someone no longer in salesbot: nothing is sent
	Recipient Recipient // when Active
	AlertItems
}

// MorningAlerts is what the morning run says, and what it marks as said.
type MorningAlerts struct {
	People []PersonAlerts // in the order first met
	// The deals to mark alerted, escalated and close-alerted for Day,
	// whether or not their person hears of them.
	Alerted, Escalated, ClosePassed []int64
}

// OwnerFollowUps is one owner's follow-ups due.
type OwnerFollowUps struct {
	ID        string
	Active    bool      // false for someone no longer in salesbot: nothing is sent
	Recipient Recipient // when Active
	FollowUps []FollowUpDue
}

// DueFollowUps is the follow-ups due, by owner.
type DueFollowUps struct {
	Owners []OwnerFollowUps // in the order of their first follow-up
	IDs    []int64          // every follow-up read, to mark reminded
}
