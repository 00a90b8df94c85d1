package pipeline

import (
	"testing"
	"time"
)

func TestNextWorkingTime(t *testing.T) {
	t.Parallel()
	la := mustZone(t, "America/Los_Angeles")
	weekdays := []int{1, 2, 3, 4, 5}
	for _, c := range []struct {
		at   string // RFC 3339
		days []int
		want string
	}{
		{"2027-01-12T06:00:00-08:00", weekdays, "2027-01-12T09:00:00-08:00"}, // Tuesday early: that morning
		{"2027-01-12T09:00:00-08:00", weekdays, "2027-01-12T09:00:00-08:00"}, // on the dot: now
		{"2027-01-12T16:59:00-08:00", weekdays, "2027-01-12T16:59:00-08:00"},
		{"2027-01-12T17:00:00-08:00", weekdays, "2027-01-13T09:00:00-08:00"}, // after hours: next morning
		{"2027-01-15T18:00:00-08:00", weekdays, "2027-01-18T09:00:00-08:00"}, // Friday evening: Monday
		{"2027-01-16T12:00:00-08:00", weekdays, "2027-01-18T09:00:00-08:00"}, // Saturday: Monday
		{"2027-01-16T12:00:00-08:00", []int{0, 6}, "2027-01-16T12:00:00-08:00"},
		{"2027-03-13T20:00:00-08:00", weekdays, "2027-03-15T09:00:00-07:00"}, // over the spring-forward
		{"2027-01-16T03:00:00-08:00", nil, "2027-01-16T03:00:00-08:00"},      // no working days: no limit
	} {
		at, _ := time.Parse(time.RFC3339, c.at)
		want, _ := time.Parse(time.RFC3339, c.want)
		if got := NextWorkingTime(at, la, c.days); !got.Equal(want) {
			t.Errorf("NextWorkingTime(%s, %v) = %s, want %s", c.at, c.days, got.In(la).Format(time.RFC3339), c.want)
		}
	}
}
