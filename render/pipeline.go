package render

import (
	"fmt"
	"slices"
	"strings"

	"salesbot/pipeline"
	"salesbot/sales"
)

// PipelineReport is the /pipeline answer: the open pipeline by stage with
// totals and the weighted forecast.
func PipelineReport(v sales.PipelineView) Report {
	total := pipeline.Sum(v.Rows, v.Currency)
	r := Report{header: "Pipeline — " + ScopeTitle(v.Scope)}
	r.sections = append(r.sections, section{pre: true, lines: stageTable(v.Rows, v.Currency)})
	r.sections = append(r.sections, section{lines: []string{fmt.Sprintf(
		"*%s* open · %s in the pipeline · weighted forecast *%s*", Plural(total.Count, "deal"), total.Amount, total.Weighted)}})
	r.footer = strings.TrimSpace(otherCurrencies("Open deals", v.Other) + "\nWeighted = amount × the stage's win probability. `/pipeline forecast` for this month and quarter.")
	return r
}

// ForecastReport is the /pipeline forecast answer for the month, or the
// quarter when quarter is true; chartLine says where the chart went ("" for
// none).
func ForecastReport(v sales.ForecastView, quarter bool, chartLine string) Report {
	f, p := v.Month, v.MonthPeriod
	if quarter {
		f, p = v.Quarter, v.QuarterPeriod
	}
	r := Report{header: "Forecast — " + ScopeTitle(v.Scope)}
	r.sections = append(r.sections, section{title: forecastTitle(f, p), pre: true, lines: forecastTable(f)})
	lines := []string{forecastCount(f.Deals)}
	if chartLine != "" {
		lines = append(lines, chartLine)
	}
	r.sections = append(r.sections, section{lines: lines})
	r.footer = strings.TrimSpace(otherCurrencies("Best case", f.Other) + fmt.Sprintf(
		"\nWeighted = closed + open × stage probability · commit = closed + open deals at %d%% or more · best case = closed + every open deal.", pipeline.CommitProbability))
	return r
}

// forecastCount says how many open deals the period expects, and why a deal
// may be missing from it.
func forecastCount(n int) string {
	const why = " A deal without a close date counts in no forecast."
	if n == 0 {
		return "No open deal is expected to close in this period." + why
	}
	return fmt.Sprintf("%s expected to close in this period.", Plural(n, "open deal")) + why
}

func forecastTable(f pipeline.Forecast) []string {
	row := func(k string, m pipeline.Money) string { return fmt.Sprintf("%-10s %16s", k, m) }
	return []string{row("Closed", f.Closed), row("Commit", f.Commit), row("Weighted", f.Weighted), row("Best case", f.BestCase)}
}

// NoStaleDeals is the /pipeline stale answer when there is none.
func NoStaleDeals(scope pipeline.Scope) string {
	return ":sparkles: No stale deals in " + ScopeTitle(scope) + ": every open deal has had activity within its stage's limit."
}

// StaleReport is the /pipeline stale answer: the stale deals shown, and how
// many more there are.
func StaleReport(v sales.StaleView) Report {
	s := section{}
	for _, d := range v.Deals {
		s.lines = append(s.lines, fmt.Sprintf("• %s · %s · idle %s", dealBrief(d),
			Escape(pipeline.StageLabelIn(v.Stages, d.Stage)), strings.TrimSuffix(Ago(d.LastActivityAt, v.AsOf), " ago")))
	}
	if more := v.Total - len(v.Deals); more > 0 {
		s.lines = append(s.lines, fmt.Sprintf("… and %d more", more))
	}
	return Report{header: fmt.Sprintf("Stale deals — %s (%d)", ScopeTitle(v.Scope), v.Total), sections: []section{s},
		footer: "A deal is stale when it has had no activity for longer than its stage allows. `/deal note D-42 …` logs activity."}
}

// LeaderboardReport is the leaderboard of deals won in a period — won
// amount per rep, in the workspace currency — with the open pipeline by
// stage.
func LeaderboardReport(l sales.Leaderboard) Report {
	m := l.Metrics
	// The trophy goes in a mrkdwn title: a header is plain text, where a
	// short code stays literal.
	r := Report{header: "Leaderboard — " + PeriodDates(l.Period)}
	s := section{title: fmt.Sprintf(":trophy: Won: %s, %s", Plural(m.Won, "deal"), m.WonAmount)}
	medals := []string{":first_place_medal:", ":second_place_medal:", ":third_place_medal:"}
	for i, rep := range m.Leaderboard {
		if i == 20 {
			s.lines = append(s.lines, fmt.Sprintf("… and %d more", len(m.Leaderboard)-20))
			break
		}
		rank := fmt.Sprintf("%d.", i+1)
		if i < len(medals) {
			rank = medals[i]
		}
		s.lines = append(s.lines, fmt.Sprintf("%s %s — %s (%s)", rank, UserMention(rep.OwnerID), rep.Amount, Plural(rep.Won, "deal")))
	}
	if len(m.Leaderboard) == 0 {
		s.lines = append(s.lines, "No deals won yet in this period.")
	}
	r.sections = append(r.sections, s, section{title: "Funnel: open pipeline by stage", pre: true, lines: stageTable(l.Rows, l.Currency)})
	r.footer = strings.TrimSpace(otherCurrencies("Won", m.Other) + "\n" + otherCurrencies("Open pipeline", l.Other))
	return r
}

func percent(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }

// MetricsReport is the /pipeline metrics answer.
func MetricsReport(v sales.MetricsView) Report {
	m := v.Metrics
	r := Report{header: fmt.Sprintf("Metrics — %s, %s", ScopeTitle(v.Scope), m.Period.Name)}
	win := "— (nothing closed)"
	if m.HasClosed {
		win = fmt.Sprintf("%s (%d won, %d lost)", percent(m.WinRate), m.Won, m.Lost)
	}
	cycle := "—"
	if m.Won > 0 {
		cycle = fmt.Sprintf("%.1f days", m.AvgCycleDays)
	}
	churn := "— (no customers at the start)"
	if m.CustomersAtStart > 0 {
		churn = fmt.Sprintf("%s (%d of %d customers)", percent(m.ChurnRate), m.Churned, m.CustomersAtStart)
	}
	size := "—" // no deal won: an average of none is not $0
	if m.Won > 0 {
		size = m.AvgDealSize.String()
	}
	lines := []string{
		"Win rate: " + win,
		"Won: " + m.WonAmount.String(),
		"Average sales cycle: " + cycle,
		"Average deal size: " + size,
		"ACV: " + m.ACV.String() + " (recurring deals won)",
		"ARR: " + m.ARR.String() + " (at the end of the period)",
		"Churn rate: " + churn,
	}
	r.sections = append(r.sections, section{title: PeriodDates(m.Period), lines: lines})
	r.sections = append(r.sections, speedSection(v.Speed)...)
	if len(m.Commission) > 0 {
		s := section{title: "Commission"}
		ids := make([]string, 0, len(m.Commission))
		for id := range m.Commission {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			s.lines = append(s.lines, fmt.Sprintf("%s — %s", UserMention(id), m.Commission[id]))
		}
		r.sections = append(r.sections, s)
	}
	r.footer = strings.TrimSpace(otherCurrencies("Won", m.Other) + "\n" + otherCurrencies("ARR", m.OtherARR))
	return r
}

// ExportDone is the answer to /pipeline export once the file is in the
// person's DM.
func ExportDone(n int, filename string) string {
	return fmt.Sprintf(":page_facing_up: %s exported to `%s` in your DM with salesbot.", Plural(n, "deal"), filename)
}

// ExportComment is the comment posted with an exported file.
func ExportComment(n int) string {
	return fmt.Sprintf("%s: `/lead import` or `salesbot import` reads it back.", Plural(n, "deal"))
}

// ExportTitle is an exported file's title.
func ExportTitle(scope pipeline.Scope) string { return "Pipeline export — " + ScopeTitle(scope) }
