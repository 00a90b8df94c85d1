package render

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// Report is a message made of titled sections, rendered both as Block Kit
// and as plain text (the terminal, and the text notifications show), so the
// two never say different things.
type Report struct {
	header   string
	sections []section
	footer   string
}

type section struct {
	title string
	lines []string // mrkdwn-safe lines (user text already escaped for Slack)
	pre   bool     // a preformatted table
}

// sectionLimit keeps a section under Slack's 3,000-character text limit.
const sectionLimit = 2900

// MaxMessageText bounds a message's text well under Slack's limit.
const MaxMessageText = 3000

// Blocks renders the report as Block Kit: a header, then one section each.
func (r Report) Blocks() []slack.Block {
	bs := []slack.Block{slack.NewHeaderBlock(Plain(Clip(r.header, 150)))}
	for _, s := range r.sections {
		body := strings.Join(s.lines, "\n")
		if s.pre {
			body = "```\n" + body + "\n```"
		}
		text := body
		if s.title != "" {
			text = "*" + s.title + "*\n" + body
		}
		bs = append(bs, slack.NewSectionBlock(Mrkdwn(ClipBytes(text, sectionLimit)), nil, nil))
	}
	if r.footer != "" {
		bs = append(bs, slack.NewContextBlock("", Mrkdwn(r.footer)))
	}
	return bs
}

// Text renders the report as the message's text, what notifications and
// screen readers get: the same lines as the blocks, user text still escaped
// (Slack reads a message's text as mrkdwn too).
func (r Report) Text() string {
	return r.render(Escape(r.header), func(l string) string { return l })
}

// TerminalText renders the report for a terminal: Slack's escapes undone.
func (r Report) TerminalText() string { return r.render(r.header, unescape) }

func (r Report) render(header string, line func(string) string) string {
	var b strings.Builder
	b.WriteString(header + "\n")
	for _, s := range r.sections {
		b.WriteString("\n")
		if s.title != "" {
			b.WriteString(s.title + "\n")
		}
		for _, l := range s.lines {
			if !s.pre {
				b.WriteString("  ")
			}
			b.WriteString(line(l) + "\n")
		}
	}
	if r.footer != "" {
		b.WriteString("\n" + line(r.footer) + "\n")
	}
	return b.String()
}

var unescaper = strings.NewReplacer("&amp;", "&", "&lt;", "<", "&gt;", ">")

func unescape(s string) string { return unescaper.Replace(s) }

// ClipBytes shortens s to at most n bytes on a rune boundary.
func ClipBytes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n - len("…")
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// stageTable is the pipeline by stage as an aligned table with a total row.
func stageTable(rows []pipeline.StageTotal, currency string) []string {
	total := pipeline.Sum(rows, currency)
	w := len("Total")
	for _, r := range rows {
		w = max(w, utf8.RuneCountInString(r.Label))
	}
	line := func(label, n, amount, weighted string) string {
		return fmt.Sprintf("%-*s %6s %16s %16s", w, label, n, amount, weighted)
	}
	out := []string{line("Stage", "Deals", "Amount", "Weighted")}
	for _, r := range append(rows, total) {
		// Pad first, escape after: "&amp;" is one character on screen.
		out = append(out, Escape(line(r.Label, fmt.Sprint(r.Count), r.Amount.String(), r.Weighted.String())))
	}
	return out
}

// otherCurrencies is the note about amounts never converted into the
// workspace currency, or "".
func otherCurrencies(what string, ms []pipeline.Money) string {
	if len(ms) == 0 {
		return ""
	}
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.String()
	}
	return fmt.Sprintf("%s in other currencies, not converted or included above: %s", what, strings.Join(parts, ", "))
}

// forecastTitle is "This month (Nov 1 – Nov 30)": the forecast's period
// and its dates.
func forecastTitle(f pipeline.Forecast, p pipeline.Period) string {
	return Capitalize(fmt.Sprintf("%s (%s)", f.Period, PeriodDates(p)))
}

// forecastLine is one forecast of period p in a line.
func forecastLine(f pipeline.Forecast, p pipeline.Period) string {
	return fmt.Sprintf("%s: weighted %s · commit %s · best case %s · closed %s",
		forecastTitle(f, p), f.Weighted, f.Commit, f.BestCase, f.Closed)
}

// PeriodDates is "Nov 1 – Nov 30", or "Tue Nov 24" for a single day.
func PeriodDates(p pipeline.Period) string {
	last := p.To.AddDate(0, 0, -1)
	if p.To.Sub(p.From) <= 24*time.Hour+time.Hour {
		return p.From.Format("Mon Jan 2")
	}
	return p.From.Format("Jan 2") + " – " + last.Format("Jan 2")
}

// dealBrief is a deal in a short line: ref, account, title, value, owner.
func dealBrief(d pipeline.Deal) string {
	line := d.Ref() + " " + Escape(Clip(d.AccountName, 60))
	if d.Title != "" && d.Title != d.AccountName {
		line += " — " + Escape(Clip(d.Title, 60))
	}
	return line + " · " + dealValue(d) + " · " + UserMention(d.OwnerID)
}

// dealValue is a deal's value as its card shows it: "—" when unknown, per
// year when recurring.
func dealValue(d pipeline.Deal) string {
	if d.Value.Minor == 0 {
		return "—"
	}
	if d.Recurring {
		return d.Value.String() + " / year"
	}
	return d.Value.String()
}

// ScopeTitle names whose deals a report covers.
func ScopeTitle(s pipeline.Scope) string {
	switch s.Name {
	case pipeline.ScopeMine:
		return "your deals"
	case pipeline.ScopeTeam:
		return "your team"
	}
	return "whole workspace"
}
