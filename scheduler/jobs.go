package scheduler

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/robfig/cron/v3"

	"salesbot/pipeline"
)

// job is one scheduled job: its cron spec in a workspace, how far back a
// tick looks for occurrences it may have missed, and whether only the
// latest of those matters (a reminder run catches up on everything due).
type job struct {
	name       string
	spec       func(st pipeline.Settings) string
	lookBack   time.Duration
	latestOnly bool
	// dayBound jobs are pointless after their local day: a missed digest
	// is skipped rather than sent late. They look back to the start of
	// the workspace's day instead of over lookBack.
	dayBound bool
}

var jobs = []job{
	{name: pipeline.JobFollowUps, spec: func(pipeline.Settings) string { return "* * * * *" }, lookBack: 10 * time.Minute, latestOnly: true},
	{name: pipeline.JobHandoff, spec: func(pipeline.Settings) string { return "*/15 * * * *" }, lookBack: time.Hour, latestOnly: true},
	{name: pipeline.JobResponseSLA, spec: func(pipeline.Settings) string { return "* * * * *" }, lookBack: 10 * time.Minute, latestOnly: true},
	{name: pipeline.JobApprovalReminders, spec: func(pipeline.Settings) string { return "*/15 * * * *" }, lookBack: time.Hour, latestOnly: true},
	{name: pipeline.JobMorning, spec: func(st pipeline.Settings) string { return "0 9 * * " + days(st.WorkingDays) }, dayBound: true},
	{name: pipeline.JobDigest, spec: digestSpec, dayBound: true},
	{name: pipeline.JobLeaderboard, spec: func(pipeline.Settings) string { return "0 9 * * 1" }, dayBound: true},
}

func jobNamed(name string) (job, bool) {
	for _, j := range jobs {
		if j.name == name {
			return j, true
		}
	}
	return job{}, false
}

// enabled reports whether job name runs. The morning run is on while any of
// its parts is; the follow-up run while reminders or post-sale check-ins
// (follow-ups of kind checkin) are, each kind sent only while its own
// switch is on.
func enabled(st pipeline.Settings, name string) bool {
	switch name {
	case pipeline.JobMorning:
		return switchedOn(st, pipeline.JobStale) || switchedOn(st, pipeline.JobClosePassed)
	case pipeline.JobFollowUps:
		return switchedOn(st, pipeline.JobFollowUps) || switchedOn(st, pipeline.JobCheckins)
	}
	return switchedOn(st, name)
}

// switchedOn is the switch of name itself; one missing from the settings is on.
func switchedOn(st pipeline.Settings, name string) bool {
	on, ok := st.Jobs[name]
	return !ok || on
}

func digestSpec(st pipeline.Settings) string {
	h, m, ok := pipeline.ParseClock(st.DigestTime)
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
// at noon gets no digest for that morning. A dayBound job's window is its
// local day so far, in loc, whatever that day's length: it holds that day's
// occurrence and never the day before's.
func (j job) occurrences(sched cron.Schedule, loc *time.Location, now, since time.Time) []time.Time {
	// ParseStandard gives a *SpecSchedule for every spec of jobs.
	if spec, ok := sched.(*cron.SpecSchedule); ok && j.dayBound {
		return dayOccurrences(spec, loc, now, since)
	}
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

// dayOccurrences are the times of spec on now's local day, in (since, now].
// They are worked out from the wall clock rather than by cron's Next, which
// runs a time in the hour repeated when clocks go back twice, and one in the
// hour skipped when they go forward never.
func dayOccurrences(spec *cron.SpecSchedule, loc *time.Location, now, since time.Time) []time.Time {
	local := now.In(loc)
	y, mo, d := local.Date()
	if spec.Month&(1<<uint(mo)) == 0 || spec.Dom&(1<<uint(d)) == 0 || spec.Dow&(1<<uint(local.Weekday())) == 0 {
		return nil
	}
	var out []time.Time
	for h := range 24 {
		for m := range 60 {
			if spec.Hour&(1<<uint(h)) == 0 || spec.Minute&(1<<uint(m)) == 0 {
				continue
			}
			t := wallClock(y, mo, d, h, m, loc)
			if t.After(since) && !t.After(now) && (len(out) == 0 || t.After(out[len(out)-1])) {
				out = append(out, t)
			}
		}
	}
	return out
}

// wallClock is when the clock of loc first reads h:m on day y-mo-d: in the
// hour repeated when clocks go back, its first pass; in the hour skipped
// when they go forward, the moment the clock jumps past it. (time.Date
// leaves both cases unspecified.)
func wallClock(y int, mo time.Month, d, h, m int, loc *time.Location) time.Time {
	w := time.Date(y, mo, d, h, m, 0, 0, time.UTC)
	// The offsets in force on either side of the day (offsets lie within
	// -12h and +14h).
	_, before := w.Add(-14 * time.Hour).In(loc).Zone()
	_, after := w.Add(14 * time.Hour).In(loc).Zone()
	var first time.Time
	for _, off := range []int{before, after} {
		t := w.Add(-time.Duration(off) * time.Second)
		if _, o := t.In(loc).Zone(); o == off && (first.IsZero() || t.Before(first)) {
			first = t
		}
	}
	if first.IsZero() {
		// h:m falls in the gap: the clock jumps past it when the offset
		// in force before the gap ends.
		_, end := w.Add(-time.Duration(after) * time.Second).In(loc).ZoneBounds()
		first = end
	}
	return first.In(loc)
}
