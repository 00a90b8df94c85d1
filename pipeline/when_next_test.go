package pipeline

import (
	"testing"
	"time"
)

// "next tuesday" on a Monday meant tomorrow. It is the Tuesday of next week,
// read on the calendar of the person who typed it: on a Monday night in Los
// Angeles it is already Tuesday in UTC, and the phrase still counts from
// Monday.
func TestParseWhenNextWeekdayInTheTypersZone(t *testing.T) {
	t.Parallel()
	la := mustZone(t, "America/Los_Angeles")
	london := mustZone(t, "Europe/London")
	// Monday 2026-12-07 20:00 in Los Angeles is Tuesday 04:00 UTC.
	laMondayNight := time.Date(2026, 12, 7, 20, 0, 0, 0, la)
	// Monday 2026-12-07 10:00 in London.
	londonMonday := time.Date(2026, 12, 7, 10, 0, 0, 0, london)
	sunday := time.Date(2026, 12, 6, 12, 0, 0, 0, london)
	friday := time.Date(2026, 12, 11, 12, 0, 0, 0, london)

	tests := []struct {
		in   string
		now  time.Time
		loc  *time.Location
		want string // UTC "2006-01-02 15:04"
	}{
		{"next tuesday", laMondayNight, la, "2026-12-15 17:00"},      // Tue Dec 15, 09:00 PST: 8 days on
		{"next tuesday 10am", laMondayNight, la, "2026-12-15 18:00"}, // not Tue Dec 8, which is "tuesday"
		{"tuesday", laMondayNight, la, "2026-12-08 17:00"},           // the coming Tuesday, in LA
		{"this tuesday", laMondayNight, la, "2026-12-08 17:00"},      // the same
		{"tomorrow 10am", laMondayNight, la, "2026-12-08 18:00"},     // LA's tomorrow, not UTC's Wednesday
		{"tuesday", laMondayNight, time.UTC, "2026-12-15 09:00"},     // read in UTC it is Tuesday already: a week on
		{"next tuesday", londonMonday, london, "2026-12-15 09:00"},   // 8 days on
		{"next monday", londonMonday, london, "2026-12-14 09:00"},    // 7 days on
		{"next sunday", londonMonday, london, "2026-12-20 09:00"},    // Sunday of next week, 13 days on
		{"next friday", friday, london, "2026-12-18 09:00"},          // a week on
		{"next monday", friday, london, "2026-12-14 09:00"},          // the Monday of next week
		{"next tuesday", sunday, london, "2026-12-08 09:00"},         // next week starts tomorrow
		{"next monday", sunday, london, "2026-12-14 09:00"},          // never tomorrow
		{"next week", laMondayNight, la, "2026-12-14 17:00"},         // Monday of next week
	}
	for _, tc := range tests {
		due, _, err := ParseWhen(tc.in, tc.now, tc.loc)
		if err != nil {
			t.Errorf("ParseWhen(%q, %s in %s): %v", tc.in, tc.now.Format(time.RFC3339), tc.loc, err)
			continue
		}
		if got := due.UTC().Format("2006-01-02 15:04"); got != tc.want {
			t.Errorf("ParseWhen(%q, %s in %s) = %s (%s there), want %s UTC",
				tc.in, tc.now.Format("Mon 2006-01-02 15:04 MST"), tc.loc, got, due.In(tc.loc).Format("Mon Jan 2 15:04"), tc.want)
		}
	}
}
