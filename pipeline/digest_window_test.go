package pipeline

import (
	"testing"
	"time"
)

func TestDigestWindow(t *testing.T) {
	t.Parallel()
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	weekdays := []int{1, 2, 3, 4, 5}
	for _, tc := range []struct {
		name        string
		day         time.Time
		working     []int
		loc         *time.Location
		from, to    string // RFC 3339 in UTC
		hours       int
		coveredName string
	}{
		{"Tuesday covers Monday", time.Date(2026, 11, 24, 8, 30, 0, 0, time.UTC), weekdays, time.UTC,
			"2026-11-23T00:00:00Z", "2026-11-24T00:00:00Z", 24, "yesterday"},
		{"Monday covers the weekend", time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC), weekdays, time.UTC,
			"2026-11-20T00:00:00Z", "2026-11-23T00:00:00Z", 72, "since Friday"},
		{"every day when none set", time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC), nil, time.UTC,
			"2026-11-22T00:00:00Z", "2026-11-23T00:00:00Z", 24, "yesterday"},
		{"weekend working", time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC), []int{0, 1, 2, 3, 4, 5, 6}, time.UTC,
			"2026-11-22T00:00:00Z", "2026-11-23T00:00:00Z", 24, "yesterday"},
		{"Mon, Tue, Thu: Thursday covers Wednesday too", time.Date(2026, 11, 26, 9, 0, 0, 0, time.UTC), []int{1, 2, 4}, time.UTC,
			"2026-11-24T00:00:00Z", "2026-11-26T00:00:00Z", 48, "since Tuesday"},
		{"once a week covers the week", time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), []int{3}, time.UTC,
			"2026-11-18T00:00:00Z", "2026-11-25T00:00:00Z", 168, "since Wednesday"},
		{"a preview on Sunday covers since Friday", time.Date(2026, 11, 22, 15, 0, 0, 0, time.UTC), weekdays, time.UTC,
			"2026-11-20T00:00:00Z", "2026-11-22T00:00:00Z", 48, "since Friday"},
		// The local date decides: 23:30 UTC Sunday is Monday in Berlin.
		{"local date, not UTC's", time.Date(2026, 11, 22, 23, 30, 0, 0, time.UTC), weekdays, berlin,
			"2026-11-19T23:00:00Z", "2026-11-22T23:00:00Z", 72, "since Friday"},
		// Summer time ends on Sunday Oct 25: Friday 00:00 CEST to Monday 00:00 CET.
		{"DST ends over the weekend", time.Date(2026, 10, 26, 8, 30, 0, 0, berlin), weekdays, berlin,
			"2026-10-22T22:00:00Z", "2026-10-25T23:00:00Z", 73, "since Friday"},
		// Daylight time starts on Sunday Mar 8: Friday 00:00 EST to Monday 00:00 EDT.
		{"DST starts over the weekend", time.Date(2026, 3, 9, 8, 30, 0, 0, ny), weekdays, ny,
			"2026-03-06T05:00:00Z", "2026-03-09T04:00:00Z", 71, "since Friday"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			from, to := DigestWindow(tc.day, tc.working, tc.loc)
			if got := from.UTC().Format(time.RFC3339); got != tc.from {
				t.Errorf("from = %s, want %s", got, tc.from)
			}
			if got := to.UTC().Format(time.RFC3339); got != tc.to {
				t.Errorf("to = %s, want %s", got, tc.to)
			}
			if h := int(to.Sub(from).Hours()); h != tc.hours {
				t.Errorf("window of %d hours, want %d", h, tc.hours)
			}
			if from.Location() != tc.loc || from.Hour() != 0 || to.Hour() != 0 {
				t.Errorf("bounds %v, %v are not local midnights in %v", from, to, tc.loc)
			}
			if p := DigestCovered(tc.day, tc.working, tc.loc); p.Name != tc.coveredName || !p.From.Equal(from) || !p.To.Equal(to) {
				t.Errorf("covered = %+v, want %q over the window", p, tc.coveredName)
			}
		})
	}
}
