package scheduler

import (
	"time"

	"salesbot/pipeline"
	"salesbot/store"
)

// recipient is a person about to get a DM: whether they want this kind,
// and when it may reach them.
type recipient struct {
	prefs pipeline.NotifyPrefs
	loc   *time.Location
	days  []int // the workspace's working days, kept in the person's own zone
}

func newRecipient(r store.Recipient, st pipeline.Settings) recipient {
	rc := recipient{prefs: r.Notify, loc: pipeline.Zone(r.Timezone), days: st.WorkingDays}
	if r.Timezone == "" {
		rc.loc = pipeline.Zone(st.Timezone)
	}
	return rc
}

// want reports whether the person gets DMs of kind; unknown people get them.
func (r recipient) want(kind string) bool { return r.prefs.Want(kind) }

// notBefore is when a DM sent at now may arrive: zero (at once) outside
// quiet hours, else the end of them.
func (r recipient) notBefore(now time.Time) time.Time {
	until, quiet := QuietUntil(now, r.loc, r.prefs.QuietStart, r.prefs.QuietEnd)
	if !quiet {
		return time.Time{}
	}
	return until
}

// workingNotBefore is when a DM addressed to this one person (a follow-up
// reminder, a check-in, their morning alerts) sent at now may arrive: within
// the workspace's working hours and days, counted in the person's own
// timezone, and outside their quiet hours; zero when that is now. A 09:00
// check-in of a New York workspace waits until 09:00 for a rep in Los
// Angeles.
func (r recipient) workingNotBefore(now time.Time) time.Time {
	t := now
	// Each step moves t forward to the end of quiet hours or the next
	// working morning; a few steps settle any pair of windows, and quiet
	// hours that cover every working hour end the loop where it stands.
	for range 8 {
		next := pipeline.NextWorkingTime(t, r.loc, r.days)
		if until, quiet := QuietUntil(next, r.loc, r.prefs.QuietStart, r.prefs.QuietEnd); quiet {
			next = until
		}
		if next.Equal(t) {
			break
		}
		t = next
	}
	if !t.After(now) {
		return time.Time{}
	}
	return t
}

// QuietUntil reports whether now falls in the quiet hours start–end
// ("HH:MM" in loc; a window may span midnight, such as 20:00–08:00) and,
// if so, when they end. Empty or equal bounds mean no quiet hours.
func QuietUntil(now time.Time, loc *time.Location, start, end string) (time.Time, bool) {
	sh, sm, ok1 := pipeline.ParseClock(start)
	eh, em, ok2 := pipeline.ParseClock(end)
	if !ok1 || !ok2 || start == end {
		return time.Time{}, false
	}
	local := now.In(loc)
	mins := local.Hour()*60 + local.Minute()
	s, e := sh*60+sm, eh*60+em
	var quiet bool
	if s < e {
		quiet = mins >= s && mins < e
	} else {
		quiet = mins >= s || mins < e
	}
	if !quiet {
		return time.Time{}, false
	}
	until := time.Date(local.Year(), local.Month(), local.Day(), eh, em, 0, 0, loc)
	if !until.After(local) {
		until = time.Date(local.Year(), local.Month(), local.Day()+1, eh, em, 0, 0, loc)
	}
	return until, true
}
