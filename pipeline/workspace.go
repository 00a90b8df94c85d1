package pipeline

import "time"

// Settings are one workspace's choices: where the bot posts, in which
// timezone and currency it counts, and which jobs run.
type Settings struct {
	WorkspaceID        string
	Currency           string // ISO 4217, default USD
	Timezone           string // IANA name, default from SALESBOT_TZ or UTC
	CelebrationChannel string // Slack channel ID, "" = not set
	DigestChannel      string
	AlertsChannel      string
	DigestTime         string // HH:MM in Timezone
	WorkingDays        []int  // 0=Sunday … 6=Saturday
	BigDealMinor       int64  // stage moves of deals at or above this amount go to the alerts channel; 0 = off
	HandoffTimeoutMins int
	FollowupSnoozeMins int
	ResponseSLAMins    int // working minutes a rep has to answer an inbound lead
	WorkStartMin       int // working hours, minutes after midnight in Timezone
	WorkEndMin         int
	Jobs               map[string]bool // job name → enabled
}

// Roles a person can have in a workspace.
const (
	RoleRep     = "rep"
	RoleManager = "manager"
	RoleAdmin   = "admin"
)

// User is a person of a workspace as salesbot knows them.
type User struct {
	WorkspaceID string
	ID          string // Slack user ID
	Name        string
	Role        string
	ManagerID   string
	Timezone    string
	Away        bool
	Deactivated bool
}

// Zone is the timezone named tz, a workspace's or a person's: UTC when tz
// is empty or unknown, so a bad name never stops a job or a message.
func Zone(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" {
		return loc
	}
	return time.UTC
}
