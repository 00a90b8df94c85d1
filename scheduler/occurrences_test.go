package scheduler

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"salesbot/pipeline"
)

func mustLoad(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// occurrencesOf are job name's occurrences in a workspace with settings st
// at now, for a workspace created at since.
func occurrencesOf(t *testing.T, name string, st pipeline.Settings, now, since time.Time) []time.Time {
	t.Helper()
	j, ok := jobNamed(name)
	if !ok {
		t.Fatalf("no job %s", name)
	}
	sched, err := j.schedule(st)
	if err != nil {
		t.Fatal(err)
	}
	return j.occurrences(sched, pipeline.Zone(st.Timezone), now, since)
}

// A tick at Wednesday 08:29 in New York, before Wednesday's digest, finds
// nothing: Tuesday's 08:30 is a day gone, not a digest to send late. Back at
// 23:59 the same day, the missed 08:30 is still sent.
func TestDigestOccurrenceOnlyOnItsLocalDay(t *testing.T) {
	t.Parallel()
	ny := mustLoad(t, "America/New_York")
	st := pipeline.Settings{Timezone: "America/New_York", DigestTime: "08:30", WorkingDays: []int{1, 2, 3, 4, 5}}
	since := time.Date(2026, 11, 1, 0, 0, 0, 0, ny)
	wed := func(h, m int) time.Time { return time.Date(2026, 12, 2, h, m, 0, 0, ny) }
	for _, c := range []struct {
		now  time.Time
		want []time.Time
	}{
		{wed(8, 29), nil},
		{wed(8, 30), []time.Time{wed(8, 30)}},
		{wed(23, 59), []time.Time{wed(8, 30)}},
		{wed(0, 0), nil},
		{time.Date(2026, 12, 3, 0, 1, 0, 0, ny), nil}, // Thursday just after midnight
	} {
		got := occurrencesOf(t, pipeline.JobDigest, st, c.now, since)
		if !slices.EqualFunc(got, c.want, time.Time.Equal) {
			t.Errorf("digest occurrences at %s = %v, want %v", c.now.Format("Mon 15:04"), got, c.want)
		}
	}
}

// A digest set for a time the clock skips when it goes forward is sent when
// the clock jumps past it; one set in the hour repeated when it goes back
// is sent on the first pass only.
func TestDigestOccurrenceAcrossDSTChanges(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		tz, clock string
		day       time.Time // the local day, at midnight UTC
		want      string    // RFC 3339, UTC
	}{
		{"America/New_York", "02:30", time.Date(2026, 3, 8, 0, 0, 0, 0, time.UTC), "2026-03-08T07:00:00Z"},  // 03:00 EDT
		{"America/New_York", "01:30", time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC), "2026-11-01T05:30:00Z"}, // 01:30 EDT
		{"Europe/Berlin", "02:15", time.Date(2026, 3, 29, 0, 0, 0, 0, time.UTC), "2026-03-29T01:00:00Z"},    // 03:00 CEST
		{"Europe/Berlin", "02:30", time.Date(2026, 10, 25, 0, 0, 0, 0, time.UTC), "2026-10-25T00:30:00Z"},   // 02:30 CEST
		{"Pacific/Chatham", "03:00", time.Date(2026, 9, 27, 0, 0, 0, 0, time.UTC), "2026-09-26T14:00:00Z"},  // 03:45 +1345
		{"Pacific/Chatham", "03:00", time.Date(2026, 4, 5, 0, 0, 0, 0, time.UTC), "2026-04-04T13:15:00Z"},   // 03:00 +1345
	} {
		t.Run(c.tz+" "+c.day.Format(time.DateOnly), func(t *testing.T) {
			t.Parallel()
			loc := mustLoad(t, c.tz)
			st := pipeline.Settings{Timezone: c.tz, DigestTime: c.clock}
			y, m, d := c.day.Date()
			var all []time.Time // the occurrences dated that day
			// Tick every minute from an hour before the local day to an hour after.
			start := time.Date(y, m, d, 0, 0, 0, 0, loc).Add(-time.Hour)
			for now := start; now.Before(start.Add(27 * time.Hour)); now = now.Add(time.Minute) {
				for _, at := range occurrencesOf(t, pipeline.JobDigest, st, now, time.Time{}) {
					if at.In(loc).Day() == d && !slices.ContainsFunc(all, at.Equal) {
						all = append(all, at)
					}
				}
			}
			if len(all) != 1 || all[0].UTC().Format(time.RFC3339) != c.want {
				t.Errorf("%s digest at %s on %s: occurrences %v, want one at %s", c.tz, c.clock, c.day.Format(time.DateOnly), all, c.want)
			}
		})
	}
}

// sweepWindow is a stretch of the calendar the sweep ticks through.
type sweepWindow struct {
	why        string
	start, end time.Time // UTC
}

// TestOccurrenceSweep ticks hour by hour (at a different minute each time,
// with dropped ticks, outages of up to a day and a half, and a second
// process ticking the same minute) through DST changes, month, quarter and
// year ends and a leap day, for workspaces in four timezones, three sets of
// working days, created at every hour of the first day, with digest times
// all round the clock. Every occurrence a tick returns is run at once, as
// the workers do; River's uniqueness is a set of (job, time). It checks:
//   - a day-bound job (digest, morning alerts, leaderboard) runs at most
//     once a local day, never for a day that has passed, never before the
//     workspace existed, only on its days, and surely when a tick comes on
//     its day at or after its time;
//   - every tick after the workspace exists delivers the follow-ups due up
//     to its minute, and handoffs up to its quarter hour.
func TestOccurrenceSweep(t *testing.T) {
	t.Parallel()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	windows := []sweepWindow{
		{"New York springs forward (Mar 8)", day(2026, 3, 5), day(2026, 3, 11)},
		{"Berlin springs forward (Mar 29), quarter end, Chatham falls back (Apr 5)", day(2026, 3, 26), day(2026, 4, 7)},
		{"half-year end", day(2026, 6, 28), day(2026, 7, 2)},
		{"Chatham springs forward (Sep 27), quarter end", day(2026, 9, 24), day(2026, 10, 2)},
		{"Berlin (Oct 25) and New York (Nov 1) fall back, month end", day(2026, 10, 22), day(2026, 11, 4)},
		{"year end", day(2026, 12, 28), day(2027, 1, 3)},
		{"leap day 2028-02-29", day(2028, 2, 26), day(2028, 3, 2)},
	}
	var hours time.Duration
	for _, w := range windows {
		hours += w.end.Sub(w.start)
	}
	if hours < 21*24*time.Hour {
		t.Fatalf("the sweep covers %v, want at least 21 days", hours)
	}
	zones := []string{"America/New_York", "Europe/Berlin", "Asia/Kolkata", "Pacific/Chatham"}
	daySets := []struct {
		name string
		days []int
	}{{"Mon-Fri", []int{1, 2, 3, 4, 5}}, {"Sun-Thu", []int{0, 1, 2, 3, 4}}, {"Wednesday", []int{3}}}
	// A window a subtest: they share nothing, and run on every core.
	for wi, w := range windows {
		t.Run(w.why, func(t *testing.T) {
			t.Parallel()
			slots := slotFinder{}
			ticks := sweepTicks(w, uint64(wi))
			for _, zone := range zones {
				loc := mustLoad(t, zone)
				for di, ds := range daySets {
					for h := range 24 {
						ws := sweepWorkspace{
							loc:   loc,
							since: w.start.Add(time.Duration(h)*time.Hour + time.Duration(h*7%60)*time.Minute),
							st:    pipeline.Settings{Timezone: zone, WorkingDays: ds.days, DigestTime: fmt.Sprintf("%02d:%02d", h*5%24, (h+di)%4*15)},
							// Follow-ups and handoffs depend on neither working
							// days nor the digest: a few creation times will do.
							reports: di == 0 && h%4 == 0,
						}
						name := fmt.Sprintf("%s, %s, %s, digest %s, created %s", w.why, zone, ds.name, ws.st.DigestTime, ws.since.Format(time.RFC3339))
						ws.sweep(t, name, ticks, slots)
					}
				}
			}
		})
	}
}

// sweepTicks are the times of the ticks through w: one an hour at a
// changing minute, some dropped, some repeated, and a few outages.
func sweepTicks(w sweepWindow, seed uint64) []time.Time {
	r := rand.New(rand.NewPCG(seed, 42))
	var out []time.Time
	for k, at := 0, w.start; at.Before(w.end); k, at = k+1, at.Add(time.Hour) {
		switch x := r.IntN(100); {
		case x < 3: // an outage: no leader for up to 36 hours
			at = at.Add(time.Duration(r.IntN(36)) * time.Hour)
			continue
		case x < 10: // a tick lost
			continue
		case x < 15: // a second process ticking the same minute
			out = append(out, at.Add(time.Duration(k*23%60)*time.Minute))
		}
		out = append(out, at.Add(time.Duration(k*23%60)*time.Minute+time.Duration(r.IntN(60))*time.Second))
	}
	return out
}

type sweepWorkspace struct {
	loc     *time.Location
	since   time.Time
	st      pipeline.Settings
	reports bool // check the follow-up and handoff jobs too
}

// sweep runs ws through ticks and checks what ran.
func (ws sweepWorkspace) sweep(t *testing.T, name string, ticks []time.Time, slots slotFinder) {
	t.Helper()
	type run struct{ at, ranAt time.Time }
	if t.Failed() {
		return // one workspace's failures tell enough
	}
	ran := map[string]map[time.Time]run{} // job -> occurrence -> its run
	var after []time.Time                 // the ticks after the workspace existed
	scheds := make([]cron.Schedule, len(jobs))
	for i, j := range jobs {
		sched, err := j.schedule(ws.st)
		if err != nil {
			t.Fatal(err)
		}
		scheds[i] = sched
		ran[j.name] = map[time.Time]run{}
	}
	for _, now := range ticks {
		if !now.After(ws.since) {
			continue
		}
		after = append(after, now)
		for i, j := range jobs {
			if !j.dayBound && !ws.reports {
				continue
			}
			sched := scheds[i]
			for _, at := range j.occurrences(sched, ws.loc, now, ws.since) {
				at = at.UTC()
				if _, dup := ran[j.name][at]; dup {
					continue // River's uniqueness
				}
				if j.dayBound && dayPassed(ws.loc, at, now) {
					// The worker would skip it, but the tick must not
					// even insert it.
					t.Errorf("%s: tick at %s inserted %s of %s, a day that has passed", name, now, j.name, at.In(ws.loc))
					continue
				}
				ran[j.name][at] = run{at, now}
			}
		}
	}
	local := func(t time.Time) int { return ymd(t.In(ws.loc)) }

	// Day-bound jobs: what ran, per local day.
	for _, j := range jobs {
		if !j.dayBound {
			continue
		}
		clock, days := "09:00", ws.st.WorkingDays
		switch j.name {
		case pipeline.JobDigest:
			clock = ws.st.DigestTime
		case pipeline.JobLeaderboard:
			days = []int{int(time.Monday)}
		}
		perDay := map[int][]run{}
		for _, r := range ran[j.name] {
			if local(r.ranAt) != local(r.at) {
				t.Errorf("%s: %s of %d ran on %d, a day late", name, j.name, local(r.at), local(r.ranAt))
			}
			if !r.at.After(ws.since) || r.at.After(r.ranAt) {
				t.Errorf("%s: %s at %s ran at %s (workspace created %s)", name, j.name, r.at, r.ranAt, ws.since)
			}
			perDay[local(r.at)] = append(perDay[local(r.at)], r)
		}
		if len(after) == 0 {
			continue
		}
		first := after[0].In(ws.loc)
		for d := time.Date(first.Year(), first.Month(), first.Day(), 12, 0, 0, 0, time.UTC); ymd(d) <= local(after[len(after)-1]); d = d.AddDate(0, 0, 1) {
			date := ymd(d)
			runs := perDay[date]
			if len(runs) > 1 {
				t.Errorf("%s: %s ran %d times on %d: for %s and %s", name, j.name, len(runs), date, runs[0].at, runs[1].at)
				continue
			}
			slot := slots.first(ws.loc, d, clock)
			want := slices.Contains(days, int(d.Weekday())) && slot.After(ws.since) &&
				slices.ContainsFunc(after, func(tick time.Time) bool { return !tick.Before(slot) && local(tick) == date })
			switch {
			case want && len(runs) == 0:
				t.Errorf("%s: %s of %d (%s local, %s) not run though a tick came that day after it", name, j.name, date, clock, slot.UTC())
			case !want && len(runs) == 1:
				t.Errorf("%s: %s ran on %d at %s, want none", name, j.name, date, runs[0].at)
			case want && !runs[0].at.Equal(slot):
				t.Errorf("%s: %s of %d ran for %s, want %s", name, j.name, date, runs[0].at, slot)
			}
		}
	}
	if !ws.reports {
		return
	}
	// Every tick delivers what is due up to its minute (follow-ups) and
	// its quarter hour (handoffs), so nothing due waits past the next tick.
	for _, now := range after {
		minute := now.Truncate(time.Minute)
		if minute.After(ws.since) {
			if _, ok := ran[pipeline.JobFollowUps][minute]; !ok {
				t.Errorf("%s: tick at %s: no follow-up run for %s", name, now, minute)
			}
		}
		quarter := minute.Add(-time.Duration(minute.In(ws.loc).Minute()%15) * time.Minute)
		if quarter.After(ws.since) {
			if _, ok := ran[pipeline.JobHandoff][quarter]; !ok {
				t.Errorf("%s: tick at %s: no handoff run for %s", name, now, quarter)
			}
		}
	}
}

// slotFinder finds, minute by minute, the first moment of a local day whose
// clock reads a given time or later: where a daily job is due that day,
// whether its time exists once, twice or not at all.
type slotFinder map[slotKey]time.Time

type slotKey struct {
	loc   *time.Location
	day   int // yyyymmdd
	clock string
}

// ymd is t's date as yyyymmdd.
func ymd(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

func (f slotFinder) first(loc *time.Location, day time.Time, clock string) time.Time {
	key := slotKey{loc, ymd(day), clock}
	if t, ok := f[key]; ok {
		return t
	}
	var h, m int
	fmt.Sscanf(clock, "%d:%d", &h, &m)
	// Local midnight lies within a day either side of UTC midnight.
	for t := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC).Add(-15 * time.Hour); ; t = t.Add(time.Minute) {
		l := t.In(loc)
		if ymd(l) == key.day && l.Hour()*60+l.Minute() >= h*60+m {
			f[key] = t
			return t
		}
	}
}
