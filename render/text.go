package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"salesbot/pipeline"
)

// escaper makes user text safe inside mrkdwn: Slack reads &, < and > as markup.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

// Escape makes what a person typed safe to show in mrkdwn.
func Escape(s string) string { return escaper.Replace(s) }

// Quoted is what a person typed, clipped to n runes, in quotes and escaped:
// for messages that echo input back.
func Quoted(s string, n int) string { return Escape(strconv.Quote(Clip(s, n))) }

// Clip shortens s to n runes, for echoing user input back safely.
func Clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// UserMention is Slack's mention of a user, or "unassigned" for nobody.
func UserMention(id string) string {
	if id == "" {
		return "unassigned"
	}
	return "<@" + id + ">"
}

// Plural is "1 day", "3 days".
func Plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// CountText is one when n is 1, else many with n filled in.
func CountText(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return fmt.Sprintf(many, n)
}

// Capitalize upper-cases the first letter (ASCII: the words are ours).
func Capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// Ago says how long before now t was, in the largest whole unit.
func Ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return Plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return Plural(int(d/time.Hour), "hour") + " ago"
	}
	return Plural(int(d/(24*time.Hour)), "day") + " ago"
}

// ContactLine is a contact's name and email, the email linked when it is
// safe to link.
func ContactLine(name, email string) string {
	// A quoted local part may hold characters that would end Slack's link
	// early (| and >): such an address is shown as text, not linked.
	link := Escape(email)
	if email != "" && !strings.ContainsAny(email, "<>&|\" ") {
		link = fmt.Sprintf("<mailto:%s|%s>", email, email)
	}
	switch {
	case name != "" && email != "":
		return Escape(name) + " " + link
	case email != "":
		return link
	}
	return Escape(name)
}

// RefLine is "*D-42* Acme — Renewal": the title only when it says more.
func RefLine(number int64, account, title string) string {
	s := fmt.Sprintf("*%s* %s", pipeline.FormatRef(number), Escape(account))
	if title != "" && title != account {
		s += " — " + Escape(title)
	}
	return s
}
