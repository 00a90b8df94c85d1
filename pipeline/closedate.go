package pipeline

import (
	"fmt"
	"time"
)

// CloseDateInPast says what is wrong with an expected close date d
// (a calendar day, as the date picker gives it) chosen at now, "" when
// nothing: a day that has ended everywhere on Earth is past. Comparing with
// the last timezone's today needs nobody's timezone, and never refuses a
// day that is still today for someone.
func CloseDateInPast(d *time.Time, now time.Time) string {
	if d == nil {
		return ""
	}
	last := now.UTC().Add(-12 * time.Hour)
	today := time.Date(last.Year(), last.Month(), last.Day(), 0, 0, 0, 0, time.UTC)
	day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
	if !day.Before(today) {
		return ""
	}
	return fmt.Sprintf("%s is in the past: the expected close date must be today or later.", day.Format("Jan 2, 2006"))
}
