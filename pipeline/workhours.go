package pipeline

import (
	"slices"
	"time"
)

// Working hours of a working day, in the workspace's timezone: a handoff's
// timeout counts only these.
const (
	WorkdayStartHour = 9
	WorkdayEndHour   = 17
)

// WorkingMinutes is how many minutes between from and to fall on the
// workspace's working days (0=Sunday … 6=Saturday) between 09:00 and 17:00
// in loc. It grows with to - from, so older offers have lapsed first.
func WorkingMinutes(from, to time.Time, loc *time.Location, days []int) int {
	return WorkingMinutesIn(from, to, loc, days, WorkHours{DefaultWorkStartMin, DefaultWorkEndMin})
}

// WorkingMinutesIn is WorkingMinutes within the working hours h.
func WorkingMinutesIn(from, to time.Time, loc *time.Location, days []int, h WorkHours) int {
	if !to.After(from) {
		return 0
	}
	if loc == nil {
		loc = time.UTC
	}
	from, to = from.In(loc), to.In(loc)
	var total time.Duration
	for day := time.Date(from.Year(), from.Month(), from.Day(), 0, 0, 0, 0, loc); day.Before(to); day = day.AddDate(0, 0, 1) {
		if !slices.Contains(days, int(day.Weekday())) {
			continue
		}
		start, end := atMinute(day, h.Start, loc), atMinute(day, h.End, loc)
		if from.After(start) {
			start = from
		}
		if to.Before(end) {
			end = to
		}
		if end.After(start) {
			total += end.Sub(start)
		}
	}
	return int(total / time.Minute)
}
