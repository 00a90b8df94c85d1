package pipeline

import (
	"strings"
	"time"
)

// Job names: the keys of workspace_settings.jobs (on/off switches) and of
// the occurrences. They are stored, so renaming one strands its history.
const (
	JobFollowUps   = "followups"
	JobCheckins    = "checkins"     // a switch only: check-ins are follow-ups of kind checkin
	JobStale       = "stale"        // a switch of JobMorning
	JobClosePassed = "close_passed" // a switch of JobMorning
	JobDigest      = "digest"
	JobLeaderboard = "leaderboard"
	JobHandoff     = "handoff"
	// JobResponseSLA escalates inbound leads whose rep let the response
	// SLA pass, every minute.
	JobResponseSLA = "response_sla"
	// JobApprovalReminders reminds approvers of discount requests pending
	// for a working day, every 15 minutes. It has no switch yet: it runs.
	JobApprovalReminders = "approval_reminders"
	// JobMorning is the 09:00 run that sends stale-deal alerts, escalations
	// and close-date reminders together; JobStale and JobClosePassed are
	// its switches.
	JobMorning = "morning_alerts"
)

// Jobs lists every job switch with what the settings modal calls it.
var Jobs = []struct{ Name, Label string }{
	{JobFollowUps, "Follow-up reminders"},
	{JobCheckins, "Post-sale check-ins"},
	{JobStale, "Stale-deal alerts"},
	{JobClosePassed, "Close date passed"},
	{JobDigest, "Daily digest"},
	{JobLeaderboard, "Weekly leaderboard"},
	{JobHandoff, "Handoff timeout"},
	{JobResponseSLA, "Response SLA escalation"},
}

// Notification kinds a person can turn off with /salesbot notify; they are
// the keys of users.notify.
const (
	NotifyFollowUps  = "followups"
	NotifyCheckins   = "checkins"
	NotifyStale      = "stale"
	NotifyEscalation = "escalation"
	NotifyClose      = "close_passed"
	NotifyDigest     = "digest"
)

// NotifyKinds lists the kinds with what the notify modal calls them.
var NotifyKinds = []struct{ Name, Label string }{
	{NotifyFollowUps, "Follow-up reminders"},
	{NotifyCheckins, "Post-sale check-ins"},
	{NotifyStale, "Stale-deal alerts"},
	{NotifyEscalation, "Escalations of my team's stale deals"},
	{NotifyClose, "Close date passed"},
	{NotifyDigest, "Daily digest by DM"},
}

// ParseClock reads "HH:MM" (24-hour; "7:45" is 07:45).
func ParseClock(s string) (h, m int, ok bool) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}
