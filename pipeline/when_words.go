package pipeline

// The parts of a follow-up time that ParseWhen reads: days, times of day and
// delays. Each reader either consumes the words it understood, or puts the
// scanner back and reports nothing so that the words are left for the note.
// A word that plainly tries to be a date or time but is wrong ("25:00",
// "2026-02-30", "dec 32") is an error instead: silently turning it into the
// note would set the follow-up for the wrong day.

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var whenWeekdays = map[string]time.Weekday{
	"sunday": time.Sunday, "sun": time.Sunday,
	"monday": time.Monday, "mon": time.Monday,
	"tuesday": time.Tuesday, "tue": time.Tuesday, "tues": time.Tuesday,
	"wednesday": time.Wednesday, "wed": time.Wednesday, "weds": time.Wednesday,
	"thursday": time.Thursday, "thu": time.Thursday, "thur": time.Thursday, "thurs": time.Thursday,
	"friday": time.Friday, "fri": time.Friday,
	"saturday": time.Saturday, "sat": time.Saturday,
}

var whenMonths = map[string]time.Month{
	"jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3,
	"apr": 4, "april": 4, "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7,
	"aug": 8, "august": 8, "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10,
	"nov": 11, "november": 11, "dec": 12, "december": 12,
}

// whenUnits maps the words of a delay to its length: an exact duration for
// minutes and hours, days or months of the calendar for the longer units.
var whenUnits = map[string]struct {
	exact  time.Duration
	days   int
	months int
}{
	"m": {exact: time.Minute}, "min": {exact: time.Minute}, "mins": {exact: time.Minute},
	"minute": {exact: time.Minute}, "minutes": {exact: time.Minute},
	"h": {exact: time.Hour}, "hr": {exact: time.Hour}, "hrs": {exact: time.Hour},
	"hour": {exact: time.Hour}, "hours": {exact: time.Hour},
	"d": {days: 1}, "day": {days: 1}, "days": {days: 1},
	"w": {days: 7}, "wk": {days: 7}, "wks": {days: 7}, "week": {days: 7}, "weeks": {days: 7},
	"mo": {months: 1}, "month": {months: 1}, "months": {months: 1},
	"y": {months: 12}, "yr": {months: 12}, "yrs": {months: 12}, "year": {months: 12}, "years": {months: 12},
}

// day reads a day and returns it as a date (midnight UTC); ok is false, with
// nothing consumed, when the next words are not a day.
func (s *whenScanner) day(now time.Time) (date time.Time, ok bool, err error) {
	mark := s.pos
	today := dateOf(now)
	w := s.next()
	if w == "on" {
		w = s.next()
	}
	modifier := ""
	if w == "next" || w == "this" {
		modifier = w
		if w = s.next(); w == "week" && modifier == "next" {
			return today.AddDate(0, 0, daysUntil(now.Weekday(), time.Monday)), true, nil
		}
		if _, isDay := whenWeekdays[w]; !isDay {
			s.pos = mark
			return time.Time{}, false, nil
		}
	}
	switch w {
	case "today":
		return today, true, nil
	case "tomorrow", "tmrw", "tmr":
		return today.AddDate(0, 0, 1), true, nil
	}
	if wd, isDay := whenWeekdays[w]; isDay {
		n := daysUntil(now.Weekday(), wd)
		if modifier == "next" {
			n = nextWeekday(now.Weekday(), wd)
		}
		return today.AddDate(0, 0, n), true, nil
	}
	if len(w) == 10 && w[4] == '-' && w[7] == '-' && allDigits(w[:4]+w[5:7]+w[8:]) {
		d, perr := time.Parse(time.DateOnly, w)
		if perr != nil {
			return time.Time{}, false, noSuchDate(w)
		}
		return d, true, nil
	}
	// "dec 1", "dec 1st 2027", "1 dec", "1st dec 2027".
	dayWord, monthWord := w, s.next()
	if _, isMonth := whenMonths[w]; isMonth {
		dayWord, monthWord = monthWord, w
	}
	month, isMonth := whenMonths[monthWord]
	n, isNum := dayNumber(dayWord)
	if !isMonth || !isNum {
		s.pos = mark
		return time.Time{}, false, nil
	}
	phrase := strings.TrimSpace(s.text[mark:s.pos])
	yearMark := s.pos
	if y := s.next(); len(y) == 4 && allDigits(y) {
		year, _ := strconv.Atoi(y)
		if d := time.Date(year, month, n, 0, 0, 0, 0, time.UTC); d.Day() == n {
			return d, true, nil
		}
		return time.Time{}, false, noSuchDate(strings.TrimSpace(s.text[mark:s.pos]))
	}
	s.pos = yearMark
	// Without a year: the next such date. Feb 29 may be years away, and the
	// cap on how far ahead a follow-up may be set then says so.
	for year := today.Year(); year <= today.Year()+8; year++ {
		d := time.Date(year, month, n, 0, 0, 0, 0, time.UTC)
		if d.Day() == n && !d.Before(today) {
			return d, true, nil
		}
	}
	return time.Time{}, false, noSuchDate(phrase)
}

func noSuchDate(phrase string) error {
	return &whenError{ErrWhenUnreadable, fmt.Sprintf("There is no date %q. Try %s.", phrase, whenExamples)}
}

// daysUntil counts the days from one weekday to the next given one, 1 to 7:
// a weekday name never means today.
func daysUntil(from, to time.Weekday) int {
	if n := (int(to) - int(from) + 7) % 7; n > 0 {
		return n
	}
	return 7
}

// nextWeekday counts the days to "next <to>" from a from: that day of next
// week, weeks starting on Monday as "next week" does, so "next tuesday" on a
// Monday is 8 days away and on a Friday 4. It is never tomorrow: on a Sunday,
// "next monday" is 8 days away.
func nextWeekday(from, to time.Weekday) int {
	n := daysUntil(from, to)
	if n < daysUntil(from, time.Monday) || n == 1 {
		n += 7
	}
	return n
}

// dayNumber reads a day of the month: "1", "01", "1st", "22nd", "23rd", "4th".
func dayNumber(w string) (int, bool) {
	for _, suffix := range []string{"st", "nd", "rd", "th"} {
		w = strings.TrimSuffix(w, suffix)
	}
	if len(w) > 2 || !allDigits(w) {
		return 0, false
	}
	n, _ := strconv.Atoi(w)
	return n, n >= 1 && n <= 31
}

// clock reads a time of day, optionally after "at"; ok is false, with
// nothing consumed, when the next words are not one.
func (s *whenScanner) clock() (h, m int, ok bool, err error) {
	mark := s.pos
	w := s.next()
	if w == "at" {
		w = s.next()
	}
	switch w {
	case "morning":
		return DefaultHour, 0, true, nil
	case "noon", "midday":
		return 12, 0, true, nil
	case "afternoon":
		return 14, 0, true, nil
	case "eod":
		return eodHour, 0, true, nil
	case "evening":
		return 18, 0, true, nil
	}
	// "10 am", "10:30 p.m.": the suffix is a word of its own. Joining it to
	// any word is safe: what does not read as a time is put back whole.
	if _, _, twelve := splitMeridiem(w); !twelve {
		afterWord := s.pos
		suffix := s.next()
		if body, _, isSuffix := splitMeridiem(suffix); isSuffix && body == "" {
			w += suffix
		} else {
			s.pos = afterWord
		}
	}
	h, m, ok, err = readClock(w)
	if !ok {
		s.pos = mark
	}
	return h, m, ok, err
}

// splitMeridiem splits "2:30pm" into "2:30" and pm; twelve reports whether
// there was an am or pm suffix at all.
func splitMeridiem(w string) (body string, pm, twelve bool) {
	for _, suffix := range []string{"a.m.", "p.m.", "am", "pm"} {
		if strings.HasSuffix(w, suffix) {
			return strings.TrimSuffix(w, suffix), suffix[0] == 'p', true
		}
	}
	return w, false, false
}

// readClock reads one word as a time of day: 10am, 2:30pm, 12am, 14:30, 9:30.
// A bare number is not a time ("tomorrow 3 calls" has a note), but a word
// shaped like one with impossible values is an error.
func readClock(w string) (h, m int, ok bool, err error) {
	body, pm, twelve := splitMeridiem(w)
	hours, minutes, hasColon := strings.Cut(body, ":")
	if len(hours) < 1 || len(hours) > 2 || !allDigits(hours) ||
		hasColon && (len(minutes) != 2 || !allDigits(minutes)) || !hasColon && !twelve {
		return 0, 0, false, nil
	}
	h, _ = strconv.Atoi(hours)
	if hasColon {
		m, _ = strconv.Atoi(minutes)
	}
	bad := &whenError{ErrWhenUnreadable, fmt.Sprintf("%q is not a time of day. Try 9am, 2:30pm or 14:30.", w)}
	if m > 59 || twelve && (h < 1 || h > 12) || h > 23 {
		return 0, 0, false, bad
	}
	if twelve {
		h %= 12 // 12am is midnight, 12pm noon
		if pm {
			h += 12
		}
	}
	return h, m, true, nil
}

// delay reads "in N unit" ("in 3 days", "in 2h", "in an hour"), with an
// optional time of day after a delay in days or longer.
func (s *whenScanner) delay(now time.Time) (time.Time, error) {
	mark := s.pos
	s.next() // "in"
	w := s.next()
	digits := len(w) - len(strings.TrimLeft(w, "0123456789"))
	number, unitWord := w[:digits], w[digits:]
	if w == "a" || w == "an" {
		number, unitWord = "1", ""
	}
	if unitWord == "" {
		unitWord = s.next()
	}
	phrase := strings.TrimSpace(s.text[mark:s.pos])
	unit, known := whenUnits[unitWord]
	if !known || number == "" {
		return time.Time{}, &whenError{ErrWhenUnreadable, fmt.Sprintf("I couldn't read %q as a time. Try in 30 minutes, in 2 hours, in 3 days or in 2 weeks.", phrase)}
	}
	number = strings.TrimLeft(number, "0")
	if len(number) > 6 { // also keeps the arithmetic below far from overflow
		return time.Time{}, whenTooFar(phrase, now.AddDate(MaxWhenYears, 0, 0))
	}
	n, _ := strconv.Atoi(number) // "" (all zeros) is 0
	if n < 1 {
		return time.Time{}, &whenError{ErrWhenUnreadable, fmt.Sprintf("%q is now. Give a delay of at least 1, such as in 10 minutes.", phrase)}
	}
	if unit.exact > 0 {
		return now.Add(time.Duration(n) * unit.exact), nil
	}
	date := dateOf(now).AddDate(0, 0, n*unit.days)
	if unit.months > 0 {
		// AddDate would turn Jan 31 + 1 month into Mar 3; people mean Feb 28.
		y, mo, d := now.Date()
		first := time.Date(y, mo+time.Month(n*unit.months), 1, 0, 0, 0, 0, time.UTC)
		date = first.AddDate(0, 0, min(d, first.AddDate(0, 1, -1).Day())-1)
	}
	h, m, hasClock, err := s.clock()
	if err != nil {
		return time.Time{}, err
	}
	if hasClock {
		return at(date, h, m, now.Location()), nil
	}
	return time.Date(date.Year(), date.Month(), date.Day(), now.Hour(), now.Minute(), now.Second(), now.Nanosecond(), now.Location()), nil
}
