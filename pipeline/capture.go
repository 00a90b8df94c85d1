package pipeline

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// KindMessage is the activity kind of a Slack message added to a deal
// ("Add to deal"); people log the other kinds themselves.
const KindMessage = "message"

// CapturedMessage is a Slack message as it is kept on a deal: where it was,
// who wrote it and when, what it said and a link back to it.
type CapturedMessage struct {
	Channel   string    // the conversation's ID
	TS        string    // the message's ts, its ID in the channel
	Author    string    // the Slack user who wrote it
	At        time.Time // when it was posted (from TS)
	Text      string    // plain text, cut to MaxNotesLen
	Permalink string    // chat.getPermalink's link
}

// MessageTime reads a Slack ts ("1733043600.000200") as the time the
// message was posted; false when ts is not one.
func MessageTime(ts string) (time.Time, bool) {
	sec, frac, _ := strings.Cut(ts, ".")
	s, err := strconv.ParseInt(sec, 10, 64)
	if err != nil || s <= 0 || !allDigits(sec) || (frac != "" && !allDigits(frac)) {
		return time.Time{}, false
	}
	us := int64(0)
	if frac != "" {
		f := (frac + "000000")[:6]
		us, _ = strconv.ParseInt(f, 10, 64)
	}
	return time.Unix(s, us*1000).UTC(), true
}

// CutActivity cuts text to the activity limit (MaxNotesLen characters),
// ending a cut text with "…" so a reader knows there was more.
func CutActivity(text string) string {
	text = strings.TrimSpace(text)
	if utf8.RuneCountInString(text) <= MaxNotesLen {
		return text
	}
	r := []rune(text)
	return strings.TrimSpace(string(r[:MaxNotesLen-1])) + "…"
}
