package pipeline

import (
	"slices"
	"time"
)

// NextWorkingTime is the first moment at or after t that falls within working
// hours (WorkdayStartHour to WorkdayEndHour) on one of days (0=Sunday …
// 6=Saturday) in loc: t itself when it already does, else the start of the
// next working day's hours there. No days means no limit: t.
func NextWorkingTime(t time.Time, loc *time.Location, days []int) time.Time {
	if len(days) == 0 {
		return t
	}
	if loc == nil {
		loc = time.UTC
	}
	local := t.In(loc)
	for i := range 8 {
		y, m, d := local.Date()
		day := time.Date(y, m, d+i, 0, 0, 0, 0, loc)
		if !slices.Contains(days, int(day.Weekday())) {
			continue
		}
		start := time.Date(day.Year(), day.Month(), day.Day(), WorkdayStartHour, 0, 0, 0, loc)
		end := time.Date(day.Year(), day.Month(), day.Day(), WorkdayEndHour, 0, 0, 0, loc)
		switch {
		case i == 0 && !local.Before(start) && local.Before(end):
			return t
		case local.Before(start):
			return start
		}
	}
	return t // days held no weekday: nothing to wait for
}
