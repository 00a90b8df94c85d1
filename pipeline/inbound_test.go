package pipeline

import (
	"testing"
	"time"
)

func TestRespondBy(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	weekdays := []int{1, 2, 3, 4, 5}
	nineToSix := WorkHours{9 * 60, 18 * 60}
	at := func(loc *time.Location, s string) time.Time {
		t.Helper()
		v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	cases := []struct {
		name string
		loc  *time.Location
		from string
		mins int
		days []int
		h    WorkHours
		want string
	}{
		{"within hours", berlin, "2026-03-10 10:00", 5, weekdays, nineToSix, "2026-03-10 10:05"},
		{"before the start", berlin, "2026-03-10 07:30", 5, weekdays, nineToSix, "2026-03-10 09:05"},
		{"spills past the end into the next day", berlin, "2026-03-10 17:58", 5, weekdays, nineToSix, "2026-03-11 09:03"},
		{"ends exactly at the end", berlin, "2026-03-10 17:55", 5, weekdays, nineToSix, "2026-03-10 18:00"},
		{"after hours", berlin, "2026-03-10 21:00", 5, weekdays, nineToSix, "2026-03-11 09:05"},
		{"friday evening waits for monday", berlin, "2026-03-13 19:00", 5, weekdays, nineToSix, "2026-03-16 09:05"},
		{"saturday waits for monday", berlin, "2026-03-14 11:00", 5, weekdays, nineToSix, "2026-03-16 09:05"},
		{"sunday is a working day when ticked", berlin, "2026-03-15 11:00", 5, []int{0, 1}, nineToSix, "2026-03-15 11:05"},
		// Berlin moves its clocks forward on Sunday 29 March 2026 (02:00 → 03:00):
		// the Monday's 09:00 is 07:00 UTC, not 08:00.
		{"spring forward over the weekend", berlin, "2026-03-27 17:58", 5, weekdays, nineToSix, "2026-03-30 09:03"},
		// New York falls back on Sunday 1 November 2026: a day with 25 hours,
		// whose working hours are still 09:00–18:00 on the wall clock.
		{"fall back day", ny, "2026-11-01 08:00", 10, []int{0}, nineToSix, "2026-11-01 09:10"},
		{"a whole day of minutes", berlin, "2026-03-10 09:00", 9*60 + 1, weekdays, nineToSix, "2026-03-11 09:01"},
		{"no working days: plain minutes", berlin, "2026-03-14 23:58", 5, nil, nineToSix, "2026-03-15 00:03"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := RespondBy(at(c.loc, c.from), c.mins, c.loc, c.days, c.h)
			want := at(c.loc, c.want)
			if !got.Equal(want) {
				t.Errorf("RespondBy(%s, %d) = %s, want %s", c.from, c.mins, got.In(c.loc), want)
			}
			// The deadline is exactly mins working minutes after an offer made
			// within hours, by the measure the handoff timeout uses.
			if len(c.days) > 0 {
				if n := WorkingMinutesIn(at(c.loc, c.from), got, c.loc, c.days, c.h); n != c.mins {
					t.Errorf("working minutes to the deadline = %d, want %d", n, c.mins)
				}
			}
		})
	}
	spring := RespondBy(at(berlin, "2026-03-27 17:58"), 5, berlin, weekdays, nineToSix)
	if want := time.Date(2026, 3, 30, 7, 3, 0, 0, time.UTC); !spring.Equal(want) {
		t.Errorf("after the change to summer time the deadline is %s UTC, want %s", spring.UTC(), want)
	}
}

func TestParseWorkHours(t *testing.T) {
	for in, want := range map[string]WorkHours{
		"09:00-17:00": {540, 1020}, " 8:30 – 18:00 ": {510, 1080}, "00:00-24:00": {0, 1440},
	} {
		got, err := ParseWorkHours(in)
		if err != nil || got != want {
			t.Errorf("ParseWorkHours(%q) = %v, %v; want %v", in, got, err, want)
		}
	}
	for _, in := range []string{"", "9-5", "18:00-09:00", "09:00", "25:00-26:00"} {
		if _, err := ParseWorkHours(in); err == nil {
			t.Errorf("ParseWorkHours(%q) accepted", in)
		}
	}
}
