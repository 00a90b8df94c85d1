package scheduler

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"salesbot/pipeline"
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
}

// job is one scheduled job: its cron spec in a workspace, how far back a
// tick looks for occurrences it may have missed, and whether only the
// latest of those matters (a reminder run catches up on everything due).
type job struct {
	name       string
	spec       func(st pipeline.Settings) string
	lookBack   time.Duration
	latestOnly bool
	// dayBound jobs are pointless after their local day: a missed digest
	// is skipped rather than sent late.
	dayBound bool
}

var jobs = []job{
	{name: JobFollowUps, spec: func(pipeline.Settings) string { return "* * * * *" }, lookBack: 10 * time.Minute, latestOnly: true},
	{name: JobHandoff, spec: func(pipeline.Settings) string { return "*/15 * * * *" }, lookBack: time.Hour, latestOnly: true},
	{name: JobMorning, spec: func(st pipeline.Settings) string { return "0 9 * * " + days(st.WorkingDays) }, lookBack: 24 * time.Hour, dayBound: true},
	{name: JobDigest, spec: digestSpec, lookBack: 24 * time.Hour, dayBound: true},
	{name: JobLeaderboard, spec: func(pipeline.Settings) string { return "0 9 * * 1" }, lookBack: 24 * time.Hour, dayBound: true},
}

func jobNamed(name string) (job, bool) {
	for _, j := range jobs {
		if j.name == name {
			return j, true
		}
	}
	return job{}, false
}

// enabled reports a job's switch; a job missing from the settings is on.
// The morning run is on while any of its parts is.
func enabled(st pipeline.Settings, name string) bool {
	if name == JobMorning {
		return enabled(st, JobStale) || enabled(st, JobClosePassed)
	}
	on, ok := st.Jobs[name]
	return !ok || on
}

func digestSpec(st pipeline.Settings) string {
	h, m, ok := ParseClock(st.DigestTime)
	if !ok {
		h, m = 8, 30
	}
	return fmt.Sprintf("%d %d * * %s", m, h, days(st.WorkingDays))
}

// days is the cron day-of-week field of working days ("1,2,3,4,5");
// with none set, every day.
func days(wd []int) string {
	if len(wd) == 0 {
		return "*"
	}
	parts := make([]string, len(wd))
	for i, d := range wd {
		parts[i] = strconv.Itoa(d)
	}
	return strings.Join(parts, ",")
}

// Schedule parses job j's cron spec in the workspace's timezone.
func (j job) schedule(st pipeline.Settings) (cron.Schedule, error) {
	tz := st.Timezone
	if tz == "" {
		tz = "UTC"
	}
	if _, err := time.LoadLocation(tz); err != nil {
		return nil, fmt.Errorf("workspace timezone %q: %w", tz, err)
	}
	sched, err := cron.ParseStandard("CRON_TZ=" + tz + " " + j.spec(st))
	if err != nil {
		return nil, fmt.Errorf("schedule of %s: %w", j.name, err)
	}
	return sched, nil
}

// occurrences are the times in (now-lookBack, now] at which j was due,
// leaving out those before the workspace existed (since): a workspace added
// at noon gets no digest for that morning.
func (j job) occurrences(sched cron.Schedule, now, since time.Time) []time.Time {
	from := now.Add(-j.lookBack)
	if since.After(from) {
		from = since
	}
	var out []time.Time
	for t := sched.Next(from); !t.IsZero() && !t.After(now); t = sched.Next(t) {
		out = append(out, t)
	}
	if j.latestOnly && len(out) > 1 {
		out = out[len(out)-1:]
	}
	return out
}

// ParseClock reads "HH:MM" (24-hour; "7:45" is 07:45).
func ParseClock(s string) (h, m int, ok bool) {
	t, err := time.Parse("15:04", strings.TrimSpace(s))
	if err != nil {
		return 0, 0, false
	}
	return t.Hour(), t.Minute(), true
}

// location is the workspace's timezone, UTC when unset or unknown.
func location(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" {
		return loc
	}
	return time.UTC
}
