package pipeline

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func TestParsePeriod(t *testing.T) {
	t.Parallel()
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	// Wednesday Nov 25, 2026, 23:30 in Los Angeles: already Thursday in UTC.
	now := time.Date(2026, 11, 25, 23, 30, 0, 0, la)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, la) }
	tests := []struct {
		in, def  string
		name     string
		from, to time.Time
	}{
		{"", "month", "this month", day(2026, 11, 1), day(2026, 12, 1)},
		{"month", "", "this month", day(2026, 11, 1), day(2026, 12, 1)},
		{"  This   Month ", "", "this month", day(2026, 11, 1), day(2026, 12, 1)},
		{"last month", "", "last month", day(2026, 10, 1), day(2026, 11, 1)},
		{"quarter", "", "this quarter", day(2026, 10, 1), day(2027, 1, 1)},
		{"last quarter", "", "last quarter", day(2026, 7, 1), day(2026, 10, 1)},
		{"week", "", "this week", day(2026, 11, 23), day(2026, 11, 30)}, // Monday to Monday
		{"last week", "", "last week", day(2026, 11, 16), day(2026, 11, 23)},
		{"today", "", "today", day(2026, 11, 25), day(2026, 11, 26)},
		{"yesterday", "", "yesterday", day(2026, 11, 24), day(2026, 11, 25)},
		{"last 30 days", "", "last 30 days", day(2026, 10, 27), day(2026, 11, 26)},
		{"30d", "", "last 30 days", day(2026, 10, 27), day(2026, 11, 26)},
		{"this year", "", "this year", day(2026, 1, 1), day(2027, 1, 1)},
		{"ytd", "", "this year", day(2026, 1, 1), day(2027, 1, 1)},
		{"last year", "", "last year", day(2025, 1, 1), day(2026, 1, 1)},
	}
	for _, tt := range tests {
		p, err := ParsePeriod(tt.in, tt.def, now.UTC(), la)
		if err != nil {
			t.Errorf("ParsePeriod(%q): %v", tt.in, err)
			continue
		}
		if p.Name != tt.name || !p.From.Equal(tt.from) || !p.To.Equal(tt.to) {
			t.Errorf("ParsePeriod(%q) = %s [%v, %v), want %s [%v, %v)", tt.in, p.Name, p.From, p.To, tt.name, tt.from, tt.to)
		}
		if !p.Contains(p.From) || p.Contains(p.To) {
			t.Errorf("%q: the period must hold From and not To", tt.in)
		}
	}
	for _, bad := range []string{"fortnight", "last 31 days", "month quarter", strings.Repeat("x", 500)} {
		_, err := ParsePeriod(bad, "month", now, la)
		if !errors.Is(err, ErrPeriod) || !strings.Contains(err.Error(), "last month") {
			t.Errorf("ParsePeriod(%q) = %v, want an error listing the periods", bad, err)
		}
		if len(err.Error()) > 300 {
			t.Errorf("ParsePeriod(%q): error of %d bytes echoes too much input", bad, len(err.Error()))
		}
	}
}

// Boundaries are local midnights even across a DST change: the March
// quarter in Los Angeles is not a whole number of 24-hour days.
func TestPeriodDSTBoundaries(t *testing.T) {
	t.Parallel()
	la, _ := time.LoadLocation("America/Los_Angeles")
	p, err := ParsePeriod("month", "", time.Date(2026, 3, 20, 12, 0, 0, 0, la), la)
	if err != nil {
		t.Fatal(err)
	}
	if p.From.Hour() != 0 || p.To.Hour() != 0 || p.To.Sub(p.From) != 31*24*time.Hour-time.Hour {
		t.Errorf("March in LA = [%v, %v), want local midnights 743 h apart", p.From, p.To)
	}
}

func FuzzParsePeriod(f *testing.F) {
	for _, s := range []string{"", "month", "last 30 days", "LAST   quarter", "ytd", "\x00", "last 9999999 days"} {
		f.Add(s)
	}
	loc, _ := time.LoadLocation("Asia/Kolkata")
	now := time.Date(2026, 2, 28, 22, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePeriod(s, "month", now, loc)
		if err != nil {
			if !errors.Is(err, ErrPeriod) {
				t.Fatalf("ParsePeriod(%q): error %v does not wrap ErrPeriod", s, err)
			}
			return
		}
		if !p.From.Before(p.To) || p.Name == "" {
			t.Fatalf("ParsePeriod(%q) = %+v: empty or reversed", s, p)
		}
		if p.To.Sub(p.From) > 367*24*time.Hour {
			t.Fatalf("ParsePeriod(%q) spans %v", s, p.To.Sub(p.From))
		}
	})
}
