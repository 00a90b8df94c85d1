package render

import (
	"fmt"
	"strings"
	"time"
)

// When writes t as Slack's date token, so that each reader sees it in their
// own timezone, clock and language: "today at 9:00 AM" in Los Angeles and
// "today at 17:00" in London for the same instant. Slack only reads the
// token in mrkdwn text; the fallback, shown by clients that cannot (and in
// notifications), names the time in fallbackLoc with its zone, so it is
// never ambiguous. Use it only where the text is mrkdwn: plain_text (headers,
// buttons, options) shows the token as written.
func When(t time.Time, fallbackLoc *time.Location) string {
	if fallbackLoc == nil {
		fallbackLoc = time.UTC
	}
	return fmt.Sprintf("<!date^%d^{date_short_pretty} at {time}|%s>", t.Unix(), whenFallback(t.In(fallbackLoc)))
}

// WhenDay writes t as Slack's date token for its day alone ("today", "Dec 4,
// 2026"), for times whose clock says nothing (a snooze that lasts days).
func WhenDay(t time.Time, fallbackLoc *time.Location) string {
	if fallbackLoc == nil {
		fallbackLoc = time.UTC
	}
	return fmt.Sprintf("<!date^%d^{date_short_pretty}|%s>", t.Unix(), t.In(fallbackLoc).Format("Mon Jan 2, 2006"))
}

// whenFallback is the time in words with its zone: "Fri Dec 4, 2026 at 2:00
// PM PST". The zone's abbreviation can hold no '|' or '>', which would end
// the token early.
func whenFallback(t time.Time) string {
	s := t.Format("Mon Jan 2, 2006 at 3:04 PM MST")
	return strings.NewReplacer("|", " ", ">", " ", "<", " ").Replace(s)
}
