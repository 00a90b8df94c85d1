package pipeline

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Period is a half-open span of time [From, To) in the workspace timezone,
// such as "this month", over which figures are counted.
type Period struct {
	Name     string    // what people call it: "this month", "last 30 days"
	From, To time.Time // From inclusive, To exclusive
}

// Contains reports whether t falls in the period.
func (p Period) Contains(t time.Time) bool { return !t.Before(p.From) && t.Before(p.To) }

// Label is the period with its dates, e.g. "this month (Nov 1 – Nov 30, 2026)".
func (p Period) Label() string {
	last := p.To.Add(-time.Nanosecond)
	return fmt.Sprintf("%s (%s – %s)", p.Name, p.From.Format("Jan 2"), last.Format("Jan 2, 2006"))
}

// ErrPeriod is wrapped by ParsePeriod's errors; their text says what to type.
var ErrPeriod = errors.New("unknown period")

// periodWords lists the periods people may type, each with the span it means
// at a given moment. Weeks start on Monday; quarters are calendar quarters.
var periodWords = []struct {
	words []string
	name  string
	span  func(now time.Time) (time.Time, time.Time)
}{
	{[]string{"today"}, "today", func(n time.Time) (time.Time, time.Time) { d := dayStart(n); return d, d.AddDate(0, 0, 1) }},
	{[]string{"yesterday"}, "yesterday", func(n time.Time) (time.Time, time.Time) { d := dayStart(n); return d.AddDate(0, 0, -1), d }},
	{[]string{"week", "this week"}, "this week", func(n time.Time) (time.Time, time.Time) { w := weekStart(n); return w, w.AddDate(0, 0, 7) }},
	{[]string{"last week"}, "last week", func(n time.Time) (time.Time, time.Time) { w := weekStart(n); return w.AddDate(0, 0, -7), w }},
	{[]string{"month", "this month"}, "this month", func(n time.Time) (time.Time, time.Time) { m := monthStart(n); return m, m.AddDate(0, 1, 0) }},
	{[]string{"last month"}, "last month", func(n time.Time) (time.Time, time.Time) { m := monthStart(n); return m.AddDate(0, -1, 0), m }},
	{[]string{"quarter", "this quarter"}, "this quarter", func(n time.Time) (time.Time, time.Time) { q := quarterStart(n); return q, q.AddDate(0, 3, 0) }},
	{[]string{"last quarter"}, "last quarter", func(n time.Time) (time.Time, time.Time) { q := quarterStart(n); return q.AddDate(0, -3, 0), q }},
	{[]string{"year", "this year", "ytd"}, "this year", func(n time.Time) (time.Time, time.Time) {
		y := time.Date(n.Year(), 1, 1, 0, 0, 0, 0, n.Location())
		return y, y.AddDate(1, 0, 0)
	}},
	{[]string{"last year"}, "last year", func(n time.Time) (time.Time, time.Time) {
		y := time.Date(n.Year(), 1, 1, 0, 0, 0, 0, n.Location())
		return y.AddDate(-1, 0, 0), y
	}},
	// Rolling windows end with today, so today's wins count.
	{[]string{"last 7 days", "7d"}, "last 7 days", func(n time.Time) (time.Time, time.Time) {
		d := dayStart(n).AddDate(0, 0, 1)
		return d.AddDate(0, 0, -7), d
	}},
	{[]string{"last 30 days", "30d"}, "last 30 days", func(n time.Time) (time.Time, time.Time) {
		d := dayStart(n).AddDate(0, 0, 1)
		return d.AddDate(0, 0, -30), d
	}},
	{[]string{"last 90 days", "90d"}, "last 90 days", func(n time.Time) (time.Time, time.Time) {
		d := dayStart(n).AddDate(0, 0, 1)
		return d.AddDate(0, 0, -90), d
	}},
}

// PeriodWords is the list of periods ParsePeriod understands, for usage messages.
const PeriodWords = "today, yesterday, week, last week, month, last month, quarter, last quarter, year, last year, last 7/30/90 days"

// ParsePeriod reads a period as people type it ("month", "last quarter",
// "last 30 days", "this year") at now, in loc (the workspace timezone). An
// empty text is def; anything unknown is an error that lists the choices.
func ParsePeriod(s, def string, now time.Time, loc *time.Location) (Period, error) {
	if loc == nil {
		loc = time.UTC
	}
	text := strings.Join(strings.Fields(strings.ToLower(s)), " ")
	if text == "" {
		text = def
	}
	now = now.In(loc)
	for _, p := range periodWords {
		for _, w := range p.words {
			if w == text {
				from, to := p.span(now)
				return Period{Name: p.name, From: from, To: to}, nil
			}
		}
	}
	if len(text) > 40 {
		text = text[:40] + "…"
	}
	return Period{}, fmt.Errorf("%w %q: use one of %s", ErrPeriod, text, PeriodWords)
}

// MonthOf and QuarterOf are the calendar month and quarter holding t, in t's location.
func MonthOf(t time.Time) Period {
	m := monthStart(t)
	return Period{Name: "this month", From: m, To: m.AddDate(0, 1, 0)}
}

// QuarterOf is the calendar quarter holding t, in t's location.
func QuarterOf(t time.Time) Period {
	q := quarterStart(t)
	return Period{Name: "this quarter", From: q, To: q.AddDate(0, 3, 0)}
}

// DayOf is the calendar day holding t, in t's location.
func DayOf(t time.Time) Period {
	d := dayStart(t)
	return Period{Name: d.Format("Mon Jan 2"), From: d, To: d.AddDate(0, 0, 1)}
}

// Midnight is computed with time.Date so a DST change inside the span keeps
// the boundaries on local midnight.
func dayStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

func weekStart(t time.Time) time.Time {
	back := (int(t.Weekday()) + 6) % 7 // days since Monday
	return time.Date(t.Year(), t.Month(), t.Day()-back, 0, 0, 0, 0, t.Location())
}

func monthStart(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, t.Location())
}

func quarterStart(t time.Time) time.Time {
	m := (int(t.Month())-1)/3*3 + 1
	return time.Date(t.Year(), time.Month(m), 1, 0, 0, 0, 0, t.Location())
}
