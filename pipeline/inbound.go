package pipeline

import (
	"fmt"
	"slices"
	"strings"
	"time"
)

// Inbound is what a lead from outside (the API, a web form) told about
// itself: the person's message and where they came from. Leads made in
// Slack have none.
type Inbound struct {
	Message     string `json:"message,omitempty"`
	UTMSource   string `json:"utm_source,omitempty"`
	UTMMedium   string `json:"utm_medium,omitempty"`
	UTMCampaign string `json:"utm_campaign,omitempty"`
	PageURL     string `json:"page_url,omitempty"`
}

// Text is the inbound data as one activity's text, for a lead logged on the
// deal it repeats.
func (in Inbound) Text() string {
	var b strings.Builder
	b.WriteString("Inbound lead again")
	if in.Message != "" {
		b.WriteString(": ")
		b.WriteString(in.Message)
	}
	for _, kv := range [][2]string{{"utm_source", in.UTMSource}, {"utm_medium", in.UTMMedium},
		{"utm_campaign", in.UTMCampaign}, {"page", in.PageURL}} {
		if kv[1] != "" {
			fmt.Fprintf(&b, "\n%s: %s", kv[0], kv[1])
		}
	}
	return b.String()
}

// Defaults of the speed-to-lead settings.
const (
	DefaultResponseSLAMins = 5
	DefaultWorkStartMin    = WorkdayStartHour * 60
	DefaultWorkEndMin      = WorkdayEndHour * 60
	MaxResponseSLAMins     = 24 * 60
)

// WorkHours are a working day's hours in the workspace's timezone, as
// minutes after midnight: [Start, End).
type WorkHours struct{ Start, End int }

// WorkHours are the workspace's working hours, the defaults when unset.
func (st Settings) WorkHours() WorkHours {
	if st.WorkStartMin == 0 && st.WorkEndMin == 0 {
		return WorkHours{DefaultWorkStartMin, DefaultWorkEndMin}
	}
	return WorkHours{st.WorkStartMin, st.WorkEndMin}
}

// ResponseSLA is the workspace's response SLA in working minutes, the
// default when unset.
func (st Settings) ResponseSLA() int {
	if st.ResponseSLAMins <= 0 {
		return DefaultResponseSLAMins
	}
	return st.ResponseSLAMins
}

// String writes the hours as "09:00–17:00".
func (h WorkHours) String() string {
	return fmt.Sprintf("%02d:%02d–%02d:%02d", h.Start/60, h.Start%60, h.End/60, h.End%60)
}

// ParseWorkHours reads "09:00-17:00" (a hyphen or an en dash, spaces
// allowed); the end must come after the start on the same day (24:00 is
// midnight at the end).
func ParseWorkHours(s string) (WorkHours, error) {
	t := strings.ReplaceAll(strings.TrimSpace(s), "–", "-")
	from, to, ok := strings.Cut(t, "-")
	bad := fmt.Errorf("%q is not working hours: use HH:MM-HH:MM, such as 09:00-17:00", clipText(s, 20))
	if !ok {
		return WorkHours{}, bad
	}
	h1, m1, ok1 := ParseClock(strings.TrimSpace(from))
	to = strings.TrimSpace(to)
	h2, m2, ok2 := ParseClock(to)
	if to == "24:00" {
		h2, m2, ok2 = 24, 0, true
	}
	if !ok1 || !ok2 {
		return WorkHours{}, bad
	}
	h := WorkHours{h1*60 + m1, h2*60 + m2}
	if h.End <= h.Start {
		return WorkHours{}, fmt.Errorf("working hours must end after they start, as in 09:00-17:00")
	}
	return h, nil
}

func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}

// ValidateSpeedSettings checks the response SLA and working hours of st,
// returning the first problem in words a person can act on.
func ValidateSpeedSettings(st Settings) error {
	if st.ResponseSLAMins < 1 || st.ResponseSLAMins > MaxResponseSLAMins {
		return fmt.Errorf("the response SLA must be 1 to %d working minutes", MaxResponseSLAMins)
	}
	if st.WorkStartMin < 0 || st.WorkEndMin > 24*60 || st.WorkEndMin <= st.WorkStartMin {
		return fmt.Errorf("working hours must end after they start, within one day")
	}
	return nil
}

// RespondBy is the deadline of an offer made at from: mins working minutes
// later, counting only hours on days (0=Sunday … 6=Saturday) in loc. An
// offer made outside working hours starts counting at the next working
// start. Each day's hours are laid out on that day's calendar in loc, so a
// daylight-saving change moves them with the wall clock. No days: plain
// minutes.
func RespondBy(from time.Time, mins int, loc *time.Location, days []int, h WorkHours) time.Time {
	if mins <= 0 {
		return from
	}
	if len(days) == 0 || h.End <= h.Start {
		return from.Add(time.Duration(mins) * time.Minute)
	}
	if loc == nil {
		loc = time.UTC
	}
	left := time.Duration(mins) * time.Minute
	local := from.In(loc)
	y, m, d := local.Date()
	for i := 0; i < 370*2; i++ { // bounded: a year and more of days
		day := time.Date(y, m, d+i, 0, 0, 0, 0, loc)
		if !slices.Contains(days, int(day.Weekday())) {
			continue
		}
		start := atMinute(day, h.Start, loc)
		end := atMinute(day, h.End, loc)
		if from.After(start) {
			start = from
		}
		if !end.After(start) {
			continue
		}
		if span := end.Sub(start); span >= left {
			return start.Add(left)
		} else {
			left -= span
		}
	}
	return from.Add(time.Duration(mins) * time.Minute) // days held no weekday
}

// atMinute is minute min after the start of day's date in loc, on the wall
// clock (24:00 is the next midnight).
func atMinute(day time.Time, min int, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), min/60, min%60, 0, 0, loc)
}

// RepSpeed is one rep's speed to lead over a period: how fast they answered
// inbound leads offered to them (accepted or logged an activity), and how
// many response deadlines they let pass.
type RepSpeed struct {
	RepID    string
	Answered int
	Median   time.Duration
	P90      time.Duration
	Missed   int
}
