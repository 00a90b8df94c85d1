package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// ActHomeNewLead is the Home tab's New lead button.
const ActHomeNewLead = "home_new_lead"

// Slack's limits for a Home tab, and how much of each list it shows.
const (
	MaxHomeBlocks = 100
	homeLinesEach = 10
)

// homeTop is the head of every Home tab: the title and the New lead button.
func homeTop() []slack.Block {
	newLead := slack.NewButtonBlockElement(ActHomeNewLead, "new", Plain("New lead"))
	newLead.Style = slack.StylePrimary
	return []slack.Block{
		slack.NewHeaderBlock(Plain("Your pipeline")),
		slack.NewActionBlock("home_actions", newLead),
	}
}

// HomeUnavailable is the Home tab when its data could not be read.
func HomeUnavailable() slack.HomeTabViewRequest {
	blocks := append(homeTop(), TextSection(":warning: salesbot could not reach its database just now; this page will fill in once it can. Reopen the Home tab in a minute."))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
}

// HomeView renders the Home tab: a New lead button, the person's open deals
// by stage, follow-ups due, stale deals and, for a manager, the team; times
// in loc, the person's timezone.
func HomeView(h sales.Home, loc *time.Location) slack.HomeTabViewRequest {
	if loc == nil {
		loc = time.UTC
	}
	blocks := homeTop()
	blocks = append(blocks, openDealBlocks(h)...)
	blocks = append(blocks, slack.NewDividerBlock(), TextSection(fmt.Sprintf("*Follow-ups due* (%d)", len(h.Due))))
	blocks = append(blocks, TextSection(followUpLines(h, loc)))
	blocks = append(blocks, slack.NewDividerBlock(), TextSection(fmt.Sprintf("*Stale deals* (%d)", len(h.Stale))))
	blocks = append(blocks, TextSection(staleLines(h)))
	if len(h.Team) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), TextSection(fmt.Sprintf("*Your team* (%d)", len(h.Team))))
		blocks = append(blocks, TextSection(teamLines(h)))
	}
	blocks = append(blocks, slack.NewContextBlock("", Mrkdwn(fmt.Sprintf("Updated %s · `/deal D-42` opens a deal · `/pipeline` for totals",
		When(h.Now, loc)))))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: CapBlocks(blocks, MaxHomeBlocks)}}
}

func openDealBlocks(h sales.Home) []slack.Block {
	if len(h.Open) == 0 {
		return []slack.Block{TextSection("*Open deals*\nNone yet. Press *New lead* or type `/lead new` to capture one.")}
	}
	title := fmt.Sprintf("*Open deals* (%d)", len(h.Open))
	if len(h.Open) >= sales.HomeDeals {
		title = fmt.Sprintf("*Open deals* (the %d most recent; `/lead list` and `/pipeline` show all)", sales.HomeDeals)
	}
	out := []slack.Block{TextSection(title)}
	byStage := map[pipeline.Stage][]pipeline.Deal{}
	for _, d := range h.Open {
		byStage[d.Stage] = append(byStage[d.Stage], d)
	}
	for _, s := range h.Stages {
		deals := byStage[s.Key]
		if len(deals) == 0 {
			continue
		}
		lines := []string{fmt.Sprintf("*%s* · %d · %s", Escape(s.Label), len(deals), stageTotal(deals, h.Currency))}
		lines = append(lines, limitLines(deals, func(d pipeline.Deal) string {
			return fmt.Sprintf("• *%s* %s · %s · score %d", d.Ref(), dealName(d), ValueText(d), d.Score)
		})...)
		out = append(out, TextSection(strings.Join(lines, "\n")))
	}
	return out
}

// stageTotal sums the amounts in the workspace currency.
func stageTotal(deals []pipeline.Deal, currency string) string {
	sum := pipeline.Money{Currency: currency}
	for _, d := range deals {
		if d.Value.Currency == currency {
			sum.Minor += d.Value.Minor
		}
	}
	return sum.String()
}

func followUpLines(h sales.Home, loc *time.Location) string {
	if len(h.Due) == 0 {
		return "Nothing due today."
	}
	return strings.Join(limitLines(h.Due, func(f sales.DueFollowUp) string {
		when := When(f.DueAt, loc)
		if f.DueAt.Before(h.Now) {
			when = "overdue since " + when
		}
		line := fmt.Sprintf("• *%s* %s · %s", pipeline.FormatRef(f.DealNumber), Escape(Clip(f.AccountName, 60)), when)
		if f.Note != "" {
			line += " · " + Escape(Clip(f.Note, 80))
		}
		return line
	}), "\n")
}

func staleLines(h sales.Home) string {
	if len(h.Stale) == 0 {
		return "No stale deals. :sparkles:"
	}
	return strings.Join(limitLines(h.Stale, func(d pipeline.Deal) string {
		return fmt.Sprintf("• *%s* %s · %s · no activity for %s", d.Ref(), dealName(d),
			Escape(pipeline.StageLabelIn(h.Stages, d.Stage)), Plural(int(h.Now.Sub(d.LastActivityAt)/(24*time.Hour)), "day"))
	}), "\n")
}

func teamLines(h sales.Home) string {
	return strings.Join(limitLines(h.Team, func(m sales.TeamMember) string {
		return fmt.Sprintf("• %s · %d open · %s · %d stale", UserMention(m.User.ID), m.Open,
			pipeline.Money{Minor: m.Amount, Currency: h.Currency}, m.Stale)
	}), "\n")
}

// dealName is the account, and the title when it says more.
func dealName(d pipeline.Deal) string {
	s := Escape(Clip(d.AccountName, 60))
	if d.Title != "" && d.Title != d.AccountName {
		s += " — " + Escape(Clip(d.Title, 60))
	}
	return s
}

// limitLines renders at most homeLinesEach items, then "…and N more".
func limitLines[T any](items []T, line func(T) string) []string {
	out := make([]string, 0, min(len(items), homeLinesEach)+1)
	for i, it := range items {
		if i == homeLinesEach {
			out = append(out, fmt.Sprintf("…and %d more", len(items)-homeLinesEach))
			break
		}
		out = append(out, line(it))
	}
	return out
}
