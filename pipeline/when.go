package pipeline

// Follow-up times are read by the small parser below rather than a natural
// language date library. The candidates (github.com/olebedev/when,
// github.com/tj/go-naturaldate) misread forms the spec promises: the ISO date
// "2026-12-01" became the clock time 12:01 today, "12am" became noon, "dec 1"
// became 01:00 today, and gibberish parsed as "now" without an error. None of
// them splits the time from the note that follows it. The grammar we need is
// small enough to own and to test completely, DST included.

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// DefaultHour is the local hour a follow-up falls due when only a day is
// given ("friday", "2026-12-01"): the start of a working day.
const DefaultHour = 9

// MaxWhenYears is how far ahead a follow-up may be set. Further than that is
// nearly always a typo (2062 for 2026) and no reminder would be useful.
const MaxWhenYears = 2

// eodHour is what "eod" means: the end of a working day.
const eodHour = 17

// Errors of ParseWhen. The errors it returns wrap one of these, and their
// text is a message for the user that says what to type instead. It quotes
// what the user typed, so escape it (&, <, >) before posting it as mrkdwn.
var (
	ErrWhenUnreadable = errors.New("the follow-up time could not be read")
	ErrWhenPast       = errors.New("the follow-up time is in the past")
	ErrWhenTooFar     = errors.New("the follow-up time is too far ahead")
)

const whenExamples = "tomorrow 10am, in 3 days, friday, 2026-12-01 or 2026-12-01 14:30"

type whenError struct {
	kind error
	msg  string
}

func (e *whenError) Error() string { return e.msg }
func (e *whenError) Unwrap() error { return e.kind }

func whenUnreadable(word string) error {
	if r := []rune(word); len(r) > 40 { // echo enough to recognise, not a pasted essay
		word = string(r[:40]) + "…"
	}
	return &whenError{ErrWhenUnreadable, fmt.Sprintf("I couldn't read %q as a time. Try %s.", word, whenExamples)}
}

// ParseWhen reads when a follow-up is due from the start of text, in the
// user's timezone loc (nil means UTC), relative to now. It returns the instant
// in UTC and the rest of text (the note): "friday 2pm call back about pricing"
// gives Friday 14:00 in loc and "call back about pricing". rest is always a
// suffix of text, without its leading white space.
//
// Accepted, case-insensitively:
//   - a day: today, tomorrow, a weekday (monday or mon; "this friday" and
//     "on friday" read the same), "next friday" (that day of next week,
//     weeks starting on Monday, never tomorrow), next week (Monday),
//     2026-12-01, dec 1, 1 dec, dec 1st 2027;
//   - a time of day, before or after the day, optionally after "at": 10am,
//     10 am, 2:30 p.m., 12am (midnight), 12pm, 14:30, 9:30 (24-hour), morning
//     (DefaultHour), noon, afternoon (14:00), eod (17:00), evening (18:00);
//   - a delay: in 30 minutes, in 2 hours, in 3 days, in 2 weeks, in 1 month,
//     in a year, in 2h, in 3d; a delay in days or longer may be followed by a
//     time ("in 3 days 2pm").
//
// A day without a time means DefaultHour. A weekday is never today: it is the
// next such day, one to seven days ahead, whatever time is given ("today 4pm"
// is how to say today). A time without a day is its next occurrence, as an
// alarm clock reads it: "9am" at 10am is tomorrow 09:00. "today 9am" at 10am
// is ErrWhenPast. A month and day without a year is the next such date, today
// included. "in N hours/minutes" adds exact time; "in N days" and longer keep
// the local clock time on the later date, so they stay on the hour across a
// DST change; "in 1 month" from Jan 31 is the last day of February, not
// Mar 3. Slashed dates (12/01) are refused: readers split on which number is
// the month.
//
// Local times are built with time.Date in loc, so a time that does not exist
// (skipped by a spring-forward change) normalises as time.Date does: in
// America/New_York, 02:30 on 2027-03-14 becomes 01:30 EST. A time repeated by
// a fall-back change is its first occurrence, as time.Date picks.
//
// The due time must be after now and at most MaxWhenYears after it, counted
// on the calendar of loc; the errors wrap ErrWhenUnreadable, ErrWhenPast or
// ErrWhenTooFar.
func ParseWhen(text string, now time.Time, loc *time.Location) (due time.Time, rest string, err error) {
	if loc == nil {
		loc = time.UTC
	}
	s := &whenScanner{text: text}
	s.skipSpace()
	start := s.pos
	local := now.In(loc)
	due, err = s.when(local)
	if err != nil {
		return time.Time{}, "", err
	}
	phrase := strings.TrimRightFunc(text[start:s.pos], unicode.IsSpace)
	if !due.After(now) {
		return time.Time{}, "", &whenError{ErrWhenPast, fmt.Sprintf("%q (%s) is in the past. Try a later time, such as today 5pm, tomorrow 10am or in 2 hours.",
			phrase, due.In(loc).Format("Mon 2 Jan 2006 15:04 MST"))}
	}
	if limit := local.AddDate(MaxWhenYears, 0, 0); due.After(limit) {
		return time.Time{}, "", whenTooFar(phrase, limit)
	}
	return due.UTC(), strings.TrimLeftFunc(text[s.pos:], unicode.IsSpace), nil
}

func whenTooFar(phrase string, limit time.Time) error {
	return &whenError{ErrWhenTooFar, fmt.Sprintf("%q is more than %d years away. Pick a time before %s.",
		phrase, MaxWhenYears, limit.Format("2 Jan 2006"))}
}

// whenScanner hands out the words of text one at a time, remembering where
// the time ends so the note can be returned untouched.
type whenScanner struct {
	text string
	pos  int // byte offset of the first unread byte
}

func (s *whenScanner) skipSpace() {
	for s.pos < len(s.text) {
		r, n := utf8.DecodeRuneInString(s.text[s.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		s.pos += n
	}
}

// next reads one word, lower-cased and without a trailing comma ("friday,").
// It returns "" at the end of the text.
func (s *whenScanner) next() string {
	s.skipSpace()
	start := s.pos
	for s.pos < len(s.text) {
		r, n := utf8.DecodeRuneInString(s.text[s.pos:])
		if unicode.IsSpace(r) {
			break
		}
		s.pos += n
	}
	return strings.ToLower(strings.TrimSuffix(s.text[start:s.pos], ","))
}

// when reads a delay, or a day and a time in either order, returning the
// local time it names; the caller checks it against now.
func (s *whenScanner) when(now time.Time) (time.Time, error) {
	mark := s.pos
	first := s.next()
	s.pos = mark
	switch first {
	case "":
		return time.Time{}, &whenError{ErrWhenUnreadable, "Say when the follow-up is due: " + whenExamples + "."}
	case "in":
		return s.delay(now)
	}
	day, hasDay, err := s.day(now)
	if err != nil {
		return time.Time{}, err
	}
	h, m, hasClock, err := s.clock()
	if err != nil {
		return time.Time{}, err
	}
	if hasClock && !hasDay {
		if day, hasDay, err = s.day(now); err != nil {
			return time.Time{}, err
		}
		if !hasDay {
			t := at(dateOf(now), h, m, now.Location())
			if !t.After(now) {
				t = at(dateOf(now).AddDate(0, 0, 1), h, m, now.Location())
			}
			return t, nil
		}
	}
	if !hasDay && !hasClock {
		s.next()
		return time.Time{}, whenUnreadable(strings.TrimSpace(s.text[mark:s.pos]))
	}
	if !hasClock {
		h, m = DefaultHour, 0
	}
	return at(day, h, m, now.Location()), nil
}

// dateOf is the calendar date of t, as midnight UTC so that date arithmetic
// never meets a DST change.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// at is the local time h:m on date in loc.
func at(date time.Time, h, m int, loc *time.Location) time.Time {
	return time.Date(date.Year(), date.Month(), date.Day(), h, m, 0, 0, loc)
}
