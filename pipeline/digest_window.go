package pipeline

import (
	"slices"
	"time"
)

// DigestWindow is the span a digest dated day reports on, in loc: from
// local midnight of the previous working day (the previous digest's date)
// to local midnight of day. The digest goes out on working days only, so
// Monday's covers Friday to Monday when the weekend is off: nothing that
// happens on a day without a digest is left out. With no working days set
// the digest runs daily and covers the day before. Boundaries are local
// midnights, so a DST change inside the span makes it an hour longer or
// shorter rather than moving them.
func DigestWindow(day time.Time, workingDays []int, loc *time.Location) (from, to time.Time) {
	d := day.In(loc)
	to = time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, loc)
	back := 1
	if len(workingDays) > 0 {
		// A week back at most: that weekday is the same as day's, and a
		// digest that runs once a week covers the whole week.
		for back < 7 && !slices.Contains(workingDays, int(to.AddDate(0, 0, -back).Weekday())) {
			back++
		}
	}
	return to.AddDate(0, 0, -back), to
}

// DigestCovered is the period of DigestWindow, named by what it spans:
// "yesterday" for one day, else "since Friday".
func DigestCovered(day time.Time, workingDays []int, loc *time.Location) Period {
	from, to := DigestWindow(day, workingDays, loc)
	name := "yesterday"
	if from.AddDate(0, 0, 1).Before(to) {
		name = "since " + from.Format("Monday")
	}
	return Period{Name: name, From: from, To: to}
}
