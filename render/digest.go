package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// DigestBlocks renders a digest as Block Kit, for the digest channel, a
// manager's DM and the /pipeline digest preview.
func DigestBlocks(d pipeline.Digest) []slack.Block { return Digest(d).Blocks() }

// DigestText renders a digest as a message's text (what notifications
// show), user text escaped for Slack like the blocks.
func DigestText(d pipeline.Digest) string { return Digest(d).Text() }

// DigestTerminalText renders a digest for a terminal (salesbot digest
// --print): plain text, Slack's escapes undone.
func DigestTerminalText(d pipeline.Digest) string { return Digest(d).TerminalText() }

// Digest is the daily digest as a report.
func Digest(d pipeline.Digest) Report {
	header := "Daily digest — " + d.Day.Format("Mon Jan 2, 2006")
	if d.Scope != "" {
		header += " · team"
	}
	r := Report{header: header}
	cur := d.Currency

	summary := fmt.Sprintf("%s · %s · %s won (%s) · %s lost",
		Plural(d.NewCount, "new lead"), Plural(d.MovesCount, "stage move"),
		fmt.Sprint(len(d.Won)), d.WonAmount(), fmt.Sprint(len(d.Lost)))
	if d.Scope != "" {
		summary = "For " + UserMention(d.Scope) + " and their team. " + summary
	}
	r.sections = append(r.sections, section{title: coveredTitle(d.Covered), lines: []string{summary}})

	if len(d.NewLeads) > 0 {
		s := section{title: "New leads"}
		for _, l := range d.NewLeads {
			s.lines = append(s.lines, "• "+dealBrief(l))
		}
		if more := d.NewCount - len(d.NewLeads); more > 0 {
			s.lines = append(s.lines, fmt.Sprintf("… and %d more", more))
		}
		r.sections = append(r.sections, s)
	}
	if len(d.Moves) > 0 {
		s := section{title: "Stage moves"}
		for _, m := range d.Moves {
			line := fmt.Sprintf("• %s %s: %s → %s", pipeline.FormatRef(m.DealNumber), Escape(Clip(m.AccountName, 60)),
				Escape(pipeline.StageLabelIn(d.Stages, m.From)), Escape(pipeline.StageLabelIn(d.Stages, m.To)))
			if m.ActorID != "" {
				line += " (" + UserMention(m.ActorID) + ")"
			}
			s.lines = append(s.lines, line)
		}
		if more := d.MovesCount - len(d.Moves); more > 0 {
			s.lines = append(s.lines, fmt.Sprintf("… and %d more", more))
		}
		r.sections = append(r.sections, s)
	}
	if len(d.Won)+len(d.Lost) > 0 {
		s := section{title: "Won and lost"}
		for i, w := range d.Won {
			if i == pipeline.DigestListLimit {
				s.lines = append(s.lines, fmt.Sprintf("… and %d more won", len(d.Won)-i))
				break
			}
			s.lines = append(s.lines, ":trophy: Won "+dealBrief(w))
		}
		for i, l := range d.Lost {
			if i == pipeline.DigestListLimit {
				s.lines = append(s.lines, fmt.Sprintf("… and %d more lost", len(d.Lost)-i))
				break
			}
			line := "Lost " + dealBrief(l)
			if l.LostReason != "" {
				line += " — " + Escape(Clip(l.LostReason, 80))
			}
			s.lines = append(s.lines, line)
		}
		r.sections = append(r.sections, s)
	}

	r.sections = append(r.sections, section{title: "Pipeline by stage", pre: true, lines: stageTable(d.Pipeline, cur)})
	r.sections = append(r.sections, section{title: "Forecast", lines: []string{
		forecastLine(d.ForecastMonth, pipeline.MonthOf(d.Day)), forecastLine(d.ForecastQuarter, pipeline.QuarterOf(d.Day)),
	}})
	r.sections = append(r.sections, section{lines: []string{
		fmt.Sprintf(":hourglass: %s · :alarm_clock: %s",
			Plural(d.StaleCount, "stale deal"), Plural(d.OverdueCount, "overdue follow-up")),
	}})
	r.sections = append(r.sections, speedSection(d.Speed)...)
	if len(d.ClosingThisMonth) > 0 {
		s := section{title: "Top deals closing this month"}
		for _, c := range d.ClosingThisMonth {
			line := "• " + dealBrief(c) + " · " + Escape(pipeline.StageLabelIn(d.Stages, c.Stage))
			if c.ExpectedClose != nil {
				line += " · " + c.ExpectedClose.Format("Jan 2")
			}
			s.lines = append(s.lines, line)
		}
		r.sections = append(r.sections, s)
	}
	var notes []string
	if n := otherCurrencies("Open pipeline", d.PipelineOther); n != "" {
		notes = append(notes, n)
	}
	if n := otherCurrencies("Quarter best case", d.ForecastQuarter.Other); n != "" {
		notes = append(notes, n)
	}
	notes = append(notes, fmt.Sprintf("Amounts in %s. Weighted = amount × stage probability; commit = closed + open deals at %d%% or more; best case = closed + every open deal expected to close.", cur, pipeline.CommitProbability))
	r.footer = strings.Join(notes, "\n")
	return r
}

// DigestPreview is the /pipeline digest answer: the digest, and a line
// saying only the person sees it.
func DigestPreview(d pipeline.Digest) (text string, blocks []slack.Block) {
	blocks = append(DigestBlocks(d), slack.NewContextBlock("", Mrkdwn("Preview: only you can see this.")))
	return ClipBytes(DigestText(d), MaxMessageText), blocks
}

// coveredTitle is "Yesterday (Tue Nov 24)" for one day, else "Since Friday
// (Fri Nov 20)": Monday's digest covers the weekend too.
func coveredTitle(p pipeline.Period) string {
	title := "Yesterday"
	if p.From.AddDate(0, 0, 1).Before(p.To) {
		title = "Since " + p.From.Format("Monday")
	}
	return title + " (" + p.From.Format("Mon Jan 2") + ")"
}
