package commands

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/store"
)

// homeData is everything a Home tab shows.
type homeData struct {
	failed    bool // the database could not be read
	user      pipeline.User
	currency  string
	now       time.Time
	loc       *time.Location
	stages    []pipeline.StageDef
	open      []pipeline.Deal // the person's open deals, in pipeline order
	due       []store.DueFollowUp
	stale     []pipeline.Deal
	team      []pipeline.User // a manager's reps
	teamOpen  map[string]store.OwnerTotal
	teamStale map[string]int
}

// Slack's limits for a Home tab, and how much of each list it shows.
const (
	maxHomeBlocks = 100
	homeLinesEach = 10
)

// homeView renders the Home tab: a New lead button, the person's open deals
// by stage, follow-ups due, stale deals and, for a manager, the team.
func homeView(h homeData) slack.HomeTabViewRequest {
	newLead := slack.NewButtonBlockElement(actHomeNewLead, "new", render.Plain("New lead"))
	newLead.Style = slack.StylePrimary
	blocks := []slack.Block{
		slack.NewHeaderBlock(render.Plain("Your pipeline")),
		slack.NewActionBlock("home_actions", newLead),
	}
	if h.failed {
		blocks = append(blocks, render.TextSection(":warning: salesbot could not reach its database just now; this page will fill in once it can. Reopen the Home tab in a minute."))
		return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: blocks}}
	}
	blocks = append(blocks, openDealBlocks(h)...)
	blocks = append(blocks, slack.NewDividerBlock(), render.TextSection(fmt.Sprintf("*Follow-ups due* (%d)", len(h.due))))
	blocks = append(blocks, render.TextSection(followUpLines(h)))
	blocks = append(blocks, slack.NewDividerBlock(), render.TextSection(fmt.Sprintf("*Stale deals* (%d)", len(h.stale))))
	blocks = append(blocks, render.TextSection(staleLines(h)))
	if len(h.team) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), render.TextSection(fmt.Sprintf("*Your team* (%d)", len(h.team))))
		blocks = append(blocks, render.TextSection(teamLines(h)))
	}
	blocks = append(blocks, slack.NewContextBlock("", render.Mrkdwn(fmt.Sprintf("Updated %s · `/deal D-42` opens a deal · `/pipeline` for totals",
		h.now.In(h.loc).Format("Mon Jan 2, 15:04 MST")))))
	return slack.HomeTabViewRequest{Type: slack.VTHomeTab, Blocks: slack.Blocks{BlockSet: render.CapBlocks(blocks, maxHomeBlocks)}}
}

func openDealBlocks(h homeData) []slack.Block {
	if len(h.open) == 0 {
		return []slack.Block{render.TextSection("*Open deals*\nNone yet. Press *New lead* or type `/lead new` to capture one.")}
	}
	title := fmt.Sprintf("*Open deals* (%d)", len(h.open))
	if len(h.open) >= homeDeals {
		title = fmt.Sprintf("*Open deals* (the %d most recent; `/lead list` and `/pipeline` show all)", homeDeals)
	}
	out := []slack.Block{render.TextSection(title)}
	byStage := map[pipeline.Stage][]pipeline.Deal{}
	for _, d := range h.open {
		byStage[d.Stage] = append(byStage[d.Stage], d)
	}
	for _, s := range h.stages {
		deals := byStage[s.Key]
		if len(deals) == 0 {
			continue
		}
		lines := []string{fmt.Sprintf("*%s* · %d · %s", render.Escape(s.Label), len(deals), stageTotal(deals, h.currency))}
		lines = append(lines, limitLines(deals, func(d pipeline.Deal) string {
			return fmt.Sprintf("• *%s* %s · %s · score %d", d.Ref(), dealName(d), valueText(d), d.Score)
		})...)
		out = append(out, render.TextSection(strings.Join(lines, "\n")))
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

func followUpLines(h homeData) string {
	if len(h.due) == 0 {
		return "Nothing due today."
	}
	return strings.Join(limitLines(h.due, func(f store.DueFollowUp) string {
		when := f.DueAt.In(h.loc).Format("Mon Jan 2, 15:04")
		if f.DueAt.Before(h.now) {
			when = "overdue since " + when
		}
		line := fmt.Sprintf("• *%s* %s · %s", pipeline.FormatRef(f.DealNumber), render.Escape(render.Clip(f.AccountName, 60)), when)
		if f.Note != "" {
			line += " · " + render.Escape(render.Clip(f.Note, 80))
		}
		return line
	}), "\n")
}

func staleLines(h homeData) string {
	if len(h.stale) == 0 {
		return "No stale deals. :sparkles:"
	}
	return strings.Join(limitLines(h.stale, func(d pipeline.Deal) string {
		return fmt.Sprintf("• *%s* %s · %s · no activity for %s", d.Ref(), dealName(d),
			render.Escape(pipeline.StageLabelIn(h.stages, d.Stage)), render.Plural(int(h.now.Sub(d.LastActivityAt)/(24*time.Hour)), "day"))
	}), "\n")
}

func teamLines(h homeData) string {
	return strings.Join(limitLines(h.team, func(u pipeline.User) string {
		t := h.teamOpen[u.ID]
		return fmt.Sprintf("• %s · %d open · %s · %d stale", render.UserMention(u.ID), t.Open,
			pipeline.Money{Minor: t.Amount, Currency: h.currency}, h.teamStale[u.ID])
	}), "\n")
}

// dealName is the account, and the title when it says more.
func dealName(d pipeline.Deal) string {
	s := render.Escape(render.Clip(d.AccountName, 60))
	if d.Title != "" && d.Title != d.AccountName {
		s += " — " + render.Escape(render.Clip(d.Title, 60))
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
