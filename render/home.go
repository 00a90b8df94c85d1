package render

import (
	"fmt"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// ActHomeNewLead is the Home tab's New lead button.
const ActHomeNewLead = "home_new_lead"

// ActHomeRep is the Pipeline button of a rep's row in a manager's Home
// team section; its value is the rep's user ID. A deal row's Open button is
// ActOpen, the button that shows a deal's card wherever it sits, and a due
// follow-up's Done and Snooze are the reminder's (ActionFollowUpDone,
// ActionFollowUpSnooze).
const ActHomeRep = "home_rep_pipeline"

// Slack's limits for a Home tab, and how much of each list it shows: rows
// are a block each (two for a follow-up, its buttons in an actions block),
// so the lists are cut shorter than a text list would be, to stay under
// Slack's 100 blocks with every section full.
const (
	MaxHomeBlocks = 100
	homeLinesEach = 10 // team rows
	homeDealsEach = 5  // open deals per stage
	homeDueRows   = 8
	homeStaleRows = 5
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
	blocks = append(blocks, followUpRows(h, loc)...)
	blocks = append(blocks, slack.NewDividerBlock(), TextSection(fmt.Sprintf("*Stale deals* (%d)", len(h.Stale))))
	blocks = append(blocks, staleRows(h)...)
	if len(h.Team) > 0 {
		blocks = append(blocks, slack.NewDividerBlock(), TextSection(fmt.Sprintf("*Your team* (%d)", len(h.Team))))
		blocks = append(blocks, teamRows(h)...)
	}
	blocks = append(blocks, slack.NewContextBlock("", Mrkdwn(fmt.Sprintf("Updated %s · *Open* shows a deal's card in your messages · `/pipeline` for totals",
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
		out = append(out, TextSection(fmt.Sprintf("*%s* · %d · %s", Escape(s.Label), len(deals), stageTotal(deals, h.Currency))))
		out = append(out, limitRows(deals, homeDealsEach, func(d pipeline.Deal) slack.Block {
			return openRow("home_open_", d, fmt.Sprintf("*%s* %s · %s · score %d", d.Ref(), dealName(d), ValueText(d), d.Score))
		})...)
	}
	return out
}

// openRow is a deal's row with the Open button that shows its card; the
// block ID is prefix and the number, unique in the tab.
func openRow(prefix string, d pipeline.Deal, text string) slack.Block {
	n := strconv.FormatInt(d.Number, 10)
	open := slack.NewButtonBlockElement(ActOpen, n, Plain("Open"))
	open.AccessibilityLabel = "Open " + d.Ref()
	return slack.NewSectionBlock(Mrkdwn(text), nil, slack.NewAccessory(open), slack.SectionBlockOptionBlockID(prefix+n))
}

// limitRows renders at most max items as blocks, then "…and N more".
func limitRows[T any](items []T, max int, row func(T) slack.Block) []slack.Block {
	out := make([]slack.Block, 0, min(len(items), max)+1)
	for i, it := range items {
		if i == max {
			out = append(out, slack.NewContextBlock("", Mrkdwn(fmt.Sprintf("…and %d more", len(items)-max))))
			break
		}
		out = append(out, row(it))
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

// followUpRows are the follow-ups due, each a line and its buttons: Done
// and Snooze (the reminder's own) and Open, the deal's card.
func followUpRows(h sales.Home, loc *time.Location) []slack.Block {
	if len(h.Due) == 0 {
		return []slack.Block{TextSection("Nothing due today.")}
	}
	var out []slack.Block
	for i, f := range h.Due {
		if i == homeDueRows {
			out = append(out, slack.NewContextBlock("", Mrkdwn(fmt.Sprintf("…and %d more", len(h.Due)-homeDueRows))))
			break
		}
		when := When(f.DueAt, loc)
		if f.DueAt.Before(h.Now) {
			when = "overdue since " + when
		}
		line := fmt.Sprintf("• *%s* %s · %s", pipeline.FormatRef(f.DealNumber), Escape(Clip(f.AccountName, 60)), when)
		if f.Note != "" {
			line += " · " + Escape(Clip(f.Note, 80))
		}
		id := strconv.FormatInt(f.ID, 10)
		out = append(out, TextSection(line), slack.NewActionBlock("home_due_"+id,
			itemButton(ActionFollowUpDone, id, "Done"),
			itemButton(ActionFollowUpSnooze, id, "Snooze"),
			itemButton(ActOpen, strconv.FormatInt(f.DealNumber, 10), "Open "+pipeline.FormatRef(f.DealNumber))))
	}
	return out
}

func staleRows(h sales.Home) []slack.Block {
	if len(h.Stale) == 0 {
		return []slack.Block{TextSection("No stale deals. :sparkles:")}
	}
	return limitRows(h.Stale, homeStaleRows, func(d pipeline.Deal) slack.Block {
		return openRow("home_stale_", d, fmt.Sprintf("• *%s* %s · %s · no activity for %s", d.Ref(), dealName(d),
			Escape(pipeline.StageLabelIn(h.Stages, d.Stage)), Plural(int(h.Now.Sub(d.LastActivityAt)/(24*time.Hour)), "day")))
	})
}

// teamRows are a manager's reps, each with a Pipeline button that shows
// that rep's open deals.
func teamRows(h sales.Home) []slack.Block {
	return limitRows(h.Team, homeLinesEach, func(m sales.TeamMember) slack.Block {
		b := slack.NewButtonBlockElement(ActHomeRep, m.User.ID, Plain("Pipeline"))
		return slack.NewSectionBlock(Mrkdwn(fmt.Sprintf("• %s · %d open · %s · %d stale", UserMention(m.User.ID), m.Open,
			pipeline.Money{Minor: m.Amount, Currency: h.Currency}, m.Stale)), nil, slack.NewAccessory(b),
			slack.SectionBlockOptionBlockID("home_team_"+m.User.ID))
	})
}

// dealName is the account, and the title when it says more.
func dealName(d pipeline.Deal) string {
	s := Escape(Clip(d.AccountName, 60))
	if d.Title != "" && d.Title != d.AccountName {
		s += " — " + Escape(Clip(d.Title, 60))
	}
	return s
}

// RepPipeline is a rep's open deals, as their manager's Home opens them.
func RepPipeline(p sales.OwnerPipeline) Message {
	if len(p.Open) == 0 {
		return Message{Text: UserMention(p.Owner) + " has no open deals."}
	}
	header := fmt.Sprintf("Open deals of %s (%d)", UserMention(p.Owner), len(p.Open))
	if len(p.Open) >= sales.HomeDeals {
		header = fmt.Sprintf("Open deals of %s (the %d most recent)", UserMention(p.Owner), sales.HomeDeals)
	}
	return DealList(header, p.Open, p.Stages)
}
