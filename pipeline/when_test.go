package pipeline

import (
	"errors"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // the zones below, whatever the machine has installed
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func utc(s string) time.Time {
	t, err := time.Parse("2006-01-02 15:04", s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestParseWhen(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	kolkata := mustZone(t, "Asia/Kolkata")
	// Friday 10:00 EDT; New York falls back to EST on Sunday 2026-11-01.
	nyNow := time.Date(2026, 10, 30, 10, 0, 0, 0, ny)
	// Friday 20:00 UTC is already Saturday 01:30 in Kolkata.
	inNow := utc("2026-10-30 20:00")
	// The night before New York springs forward (02:00 EST → 03:00 EDT).
	springNow := time.Date(2027, 3, 13, 12, 0, 0, 0, ny)
	// Thursday, the last hour of 2026.
	nye := utc("2026-12-31 23:00")

	tests := []struct {
		in   string
		now  time.Time
		loc  *time.Location
		want string // UTC "2006-01-02 15:04"
		rest string
	}{
		{"tomorrow", nyNow, ny, "2026-10-31 13:00", ""},
		{"tomorrow 10am", nyNow, ny, "2026-10-31 14:00", ""},
		{"Tomorrow, 10 AM  send the deck", nyNow, ny, "2026-10-31 14:00", "send the deck"},
		{"tomorrow at 10a.m.", nyNow, ny, "2026-10-31 14:00", ""},
		{"tomorrow noon", nyNow, ny, "2026-10-31 16:00", ""},
		{"tomorrow morning", nyNow, ny, "2026-10-31 13:00", ""},
		{"friday afternoon demo", nyNow, ny, "2026-11-06 19:00", "demo"},
		{"10:30 P.M. send quote", nyNow, ny, "2026-10-31 02:30", "send quote"},
		{"tomorrow eod", nyNow, ny, "2026-10-31 21:00", ""},
		{"in 3 days", nyNow, ny, "2026-11-02 15:00", ""},   // 10:00 EST: the clock time is kept
		{"in 72 hours", nyNow, ny, "2026-11-02 14:00", ""}, // exactly 72 h: 09:00 EST
		{"in 2 hours", nyNow, ny, "2026-10-30 16:00", ""},
		{"in an hour ping", nyNow, ny, "2026-10-30 15:00", "ping"},
		{"in 30m", nyNow, ny, "2026-10-30 14:30", ""},
		{"in 2 weeks at 9am", nyNow, ny, "2026-11-13 14:00", ""},
		{"in 1 month", nyNow, ny, "2026-11-30 15:00", ""},
		{"friday", nyNow, ny, "2026-11-06 14:00", ""}, // today is Friday: next week's
		{"friday 4pm", nyNow, ny, "2026-11-06 21:00", ""},
		{"next friday 9:30", nyNow, ny, "2026-11-06 14:30", ""},
		{"on Fri at 2pm", nyNow, ny, "2026-11-06 19:00", ""},
		{"friday 2pm call back about pricing", nyNow, ny, "2026-11-06 19:00", "call back about pricing"},
		{"2pm friday call back", nyNow, ny, "2026-11-06 19:00", "call back"},
		{"friday at the office", nyNow, ny, "2026-11-06 14:00", "at the office"},
		{"tomorrow 3 calls", nyNow, ny, "2026-10-31 13:00", "3 calls"},
		{"saturday 12pm", nyNow, ny, "2026-10-31 16:00", ""},
		{"sunday", nyNow, ny, "2026-11-01 14:00", ""},      // 09:00 EST, after the change
		{"sunday 12am", nyNow, ny, "2026-11-01 04:00", ""}, // midnight, still EDT
		{"sunday 1:30", nyNow, ny, "2026-11-01 05:30", ""}, // the repeated hour: its first (EDT) pass
		{"monday", nyNow, ny, "2026-11-02 14:00", ""},      // 09:00 EST
		{"next week", nyNow, ny, "2026-11-02 14:00", ""},   // Monday
		{"today 5pm", nyNow, ny, "2026-10-30 21:00", ""},
		{"eod", nyNow, ny, "2026-10-30 21:00", ""},
		{"11am", nyNow, ny, "2026-10-30 15:00", ""}, // later today
		{"9am", nyNow, ny, "2026-10-31 13:00", ""},  // gone today: tomorrow
		{"2026-12-01", nyNow, ny, "2026-12-01 14:00", ""},
		{"2026-12-01 14:30", nyNow, ny, "2026-12-01 19:30", ""},
		{"dec 1", nyNow, ny, "2026-12-01 14:00", ""},
		{"1 dec 2pm", nyNow, ny, "2026-12-01 19:00", ""},
		{"December 1st, 2027 3pm", nyNow, ny, "2027-12-01 20:00", ""},
		{"oct 29", nyNow, ny, "2027-10-29 13:00", ""}, // gone this year: next year's
		{"may 5 follow up", nyNow, ny, "2027-05-05 13:00", "follow up"},
		{"feb 29", nyNow, ny, "2028-02-29 14:00", ""},     // the next leap day
		{"2028-10-30", nyNow, ny, "2028-10-30 13:00", ""}, // just inside the cap

		{"tomorrow 2:30", springNow, ny, "2027-03-14 06:30", ""}, // no such time: as time.Date reads it
		{"tomorrow", springNow, ny, "2027-03-14 13:00", ""},      // 09:00 EDT
		{"in 1 day", springNow, ny, "2027-03-14 16:00", ""},      // 12:00 EDT
		{"in 24 hours", springNow, ny, "2027-03-14 17:00", ""},   // 13:00 EDT

		{"tomorrow", inNow, kolkata, "2026-11-01 03:30", ""}, // Sunday 09:00 IST
		{"today 9am", inNow, kolkata, "2026-10-31 03:30", ""},
		{"friday", inNow, kolkata, "2026-11-06 03:30", ""},
		{"saturday", inNow, kolkata, "2026-11-07 03:30", ""}, // it is Saturday there
		{"2am", inNow, kolkata, "2026-10-30 20:30", ""},
		{"1am", inNow, kolkata, "2026-10-31 19:30", ""},

		{"tomorrow", nye, time.UTC, "2027-01-01 09:00", ""},
		{"jan 1", nye, time.UTC, "2027-01-01 09:00", ""},
		{"11:30pm", nye, nil, "2026-12-31 23:30", ""},
		{"in 2 months", nye, time.UTC, "2027-02-28 23:00", ""}, // not Mar 3
		{"in 2 years", nye, time.UTC, "2028-12-31 23:00", ""},  // exactly the cap
	}
	for _, tt := range tests {
		due, rest, err := ParseWhen(tt.in, tt.now, tt.loc)
		if err != nil {
			t.Errorf("ParseWhen(%q, %v): %v", tt.in, tt.now, err)
			continue
		}
		if got := due.Format("2006-01-02 15:04"); got != tt.want || rest != tt.rest || due.Location() != time.UTC {
			t.Errorf("ParseWhen(%q, %v) = %v, %q; want %s UTC, %q", tt.in, tt.now, due, rest, tt.want, tt.rest)
		}
	}
}

func TestParseWhenGapIsTimeDate(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	due, _, err := ParseWhen("2027-03-14 2:30", time.Date(2027, 3, 1, 0, 0, 0, 0, ny), ny)
	if want := time.Date(2027, 3, 14, 2, 30, 0, 0, ny); err != nil || !due.Equal(want) {
		t.Errorf("got %v, %v; want %v", due, err, want)
	}
}

func TestParseWhenErrors(t *testing.T) {
	t.Parallel()
	ny := mustZone(t, "America/New_York")
	now := time.Date(2026, 10, 30, 10, 0, 0, 0, ny)
	tests := []struct {
		in   string
		kind error
		says string
	}{
		{"blorp", ErrWhenUnreadable, `I couldn't read "blorp" as a time. Try tomorrow 10am, in 3 days, friday, 2026-12-01 or 2026-12-01 14:30.`},
		{"", ErrWhenUnreadable, "Say when the follow-up is due: tomorrow 10am"},
		{"   ", ErrWhenUnreadable, "Say when"},
		{"call back friday", ErrWhenUnreadable, `"call"`},
		{"next call", ErrWhenUnreadable, `"next"`},
		{"12/01", ErrWhenUnreadable, `"12/01"`},
		{"2026-02-30", ErrWhenUnreadable, `There is no date "2026-02-30"`},
		{"feb 30", ErrWhenUnreadable, `There is no date "feb 30"`},
		{"feb 29 2027", ErrWhenUnreadable, `There is no date "feb 29 2027"`},
		{"25:00", ErrWhenUnreadable, `"25:00" is not a time of day. Try 9am`},
		{"tomorrow 13pm", ErrWhenUnreadable, `"13pm" is not a time`},
		{"tomorrow 0am", ErrWhenUnreadable, `"0am" is not a time`},
		{"friday 10:75", ErrWhenUnreadable, `"10:75" is not a time`},
		{"in 3 blorps", ErrWhenUnreadable, `I couldn't read "in 3 blorps" as a time. Try in 30 minutes`},
		{"in", ErrWhenUnreadable, `"in"`},
		{"in 0 days", ErrWhenUnreadable, "at least 1"},
		{"today 9am", ErrWhenPast, `"today 9am" (Fri 30 Oct 2026 09:00 EDT) is in the past. Try a later time`},
		{"today", ErrWhenPast, "is in the past"},
		{"oct 30", ErrWhenPast, "is in the past"}, // today's date, 09:00 gone
		{"2025-12-01 call", ErrWhenPast, `"2025-12-01" (Mon 1 Dec 2025 09:00 EST) is in the past`},
		{"2028-10-31", ErrWhenTooFar, `"2028-10-31" is more than 2 years away. Pick a time before 30 Oct 2028.`},
		{"in 25 months", ErrWhenTooFar, "more than 2 years"},
		{"in 99999999999999999999 hours", ErrWhenTooFar, "more than 2 years"},
		{"2062-12-01", ErrWhenTooFar, "more than 2 years"},
		{strings.Repeat("x", 500), ErrWhenUnreadable, strings.Repeat("x", 40) + `…" as a time`},
	}
	for _, tt := range tests {
		due, rest, err := ParseWhen(tt.in, now, ny)
		if !errors.Is(err, tt.kind) || !strings.Contains(err.Error(), tt.says) {
			t.Errorf("ParseWhen(%q) = %v, %q, %v; want %v saying %q", tt.in, due, rest, err, tt.kind, tt.says)
		}
	}
}

// FuzzParseWhen checks what must hold for any text, at any time, in zones
// with DST changes at odd hours: no panic; an error is one of ours; a due
// time is in UTC, after now and within the cap; the note is a suffix.
func FuzzParseWhen(f *testing.F) {
	for _, s := range []string{"tomorrow 10am", "in 3 days", "friday 2pm call back", "2026-12-01 14:30", "1 dec 2pm", "9am", "in 2h", "feb 29"} {
		f.Add(s, int64(0), uint8(0))
	}
	zones := []*time.Location{time.UTC}
	for _, name := range []string{"America/New_York", "Asia/Kolkata", "America/Santiago", "Australia/Lord_Howe", "Pacific/Chatham"} {
		zones = append(zones, mustZone(f, name))
	}
	base := utc("2026-10-30 14:00")
	const span = 60 * 366 * 24 * 3600 // seconds either side of base
	f.Fuzz(func(t *testing.T, text string, offset int64, zone uint8) {
		now := base.Add(time.Duration(offset%span) * time.Second)
		loc := zones[int(zone)%len(zones)]
		due, rest, err := ParseWhen(text, now, loc)
		if err != nil {
			if !errors.Is(err, ErrWhenUnreadable) && !errors.Is(err, ErrWhenPast) && !errors.Is(err, ErrWhenTooFar) || err.Error() == "" {
				t.Fatalf("ParseWhen(%q) error %v is none of ours", text, err)
			}
			return
		}
		if due.Location() != time.UTC || !due.After(now) || due.After(now.In(loc).AddDate(MaxWhenYears, 0, 0)) {
			t.Fatalf("ParseWhen(%q, %v, %v) = %v: not in UTC, after now and within the cap", text, now, loc, due)
		}
		if !strings.HasSuffix(text, rest) {
			t.Fatalf("ParseWhen(%q) rest %q is not a suffix", text, rest)
		}
	})
}
