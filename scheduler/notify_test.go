package scheduler_test

import (
	"testing"
	"time"

	"salesbot/scheduler"
)

func TestQuietUntil(t *testing.T) {
	t.Parallel()
	ny, _ := time.LoadLocation("America/New_York")
	for _, c := range []struct {
		now, start, end string
		quiet           bool
		until           string
	}{
		{"2027-01-12T23:30:00-05:00", "20:00", "08:00", true, "2027-01-13T08:00:00-05:00"},
		{"2027-01-13T07:59:00-05:00", "20:00", "08:00", true, "2027-01-13T08:00:00-05:00"},
		{"2027-01-13T08:00:00-05:00", "20:00", "08:00", false, ""},
		{"2027-01-13T12:30:00-05:00", "12:00", "13:00", true, "2027-01-13T13:00:00-05:00"},
		{"2027-01-13T13:00:00-05:00", "12:00", "13:00", false, ""},
		{"2027-01-13T23:00:00-05:00", "", "", false, ""},
		{"2027-01-13T23:00:00-05:00", "08:00", "08:00", false, ""},
		{"2027-03-13T23:00:00-05:00", "22:00", "07:00", true, "2027-03-14T07:00:00-04:00"}, // DST starts overnight
	} {
		now, _ := time.Parse(time.RFC3339, c.now)
		until, quiet := scheduler.QuietUntil(now, ny, c.start, c.end)
		if quiet != c.quiet {
			t.Errorf("QuietUntil(%s, %s–%s) quiet = %v, want %v", c.now, c.start, c.end, quiet, c.quiet)
			continue
		}
		if want, _ := time.Parse(time.RFC3339, c.until); quiet && !until.Equal(want) {
			t.Errorf("QuietUntil(%s, %s–%s) = %s, want %s", c.now, c.start, c.end, until, c.until)
		}
	}
}
