package commands

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// card is everything a deal card shows.
type card struct {
	deal    pipeline.Deal
	stages  []pipeline.StageDef
	next    *pipeline.FollowUp
	loc     *time.Location // the viewer's timezone
	now     time.Time
	buttons bool
}

// Deal card button action IDs; each button's value is the deal number.
const (
	actMove     = "deal_move"
	actNote     = "deal_note"
	actFollowup = "deal_followup"
	actEdit     = "deal_edit"
	actWon      = "deal_won"
	actLost     = "deal_lost"
	actHistory  = "deal_history"
	actOpen     = "deal_open"
)

// dealCard renders a deal as people see it everywhere: title line, the key
// fields and, on cards people work from, the buttons.
func dealCard(c card) []slack.Block {
	d := c.deal
	if c.loc == nil {
		c.loc = time.UTC
	}
	title := fmt.Sprintf("*%s · %s*", d.Ref(), escape(d.AccountName))
	if d.Title != "" && d.Title != d.AccountName {
		title += " — " + escape(d.Title)
	}
	fields := []*slack.TextBlockObject{
		mrkdwn("*Stage*\n" + escape(pipeline.StageLabelIn(c.stages, d.Stage))),
		mrkdwn("*Value*\n" + valueText(d)),
		mrkdwn("*Owner*\n" + userMention(d.OwnerID)),
	}
	if d.ContactName != "" || d.ContactEmail != "" {
		fields = append(fields, mrkdwn("*Contact*\n"+contactLine(d.ContactName, d.ContactEmail)))
	}
	if d.ExpectedClose != nil {
		fields = append(fields, mrkdwn("*Expected close*\n"+d.ExpectedClose.Format("Jan 2, 2006")))
	}
	if d.Source != "" {
		fields = append(fields, mrkdwn("*Source*\n"+escape(optionLabel(d.Source))))
	}
	if d.Score > 0 {
		fields = append(fields, mrkdwn("*Score*\n"+strconv.Itoa(d.Score)+"/100"))
	}
	if !c.now.IsZero() && !d.LastActivityAt.IsZero() {
		fields = append(fields, mrkdwn("*Last activity*\n"+ago(d.LastActivityAt, c.now)))
	}
	if c.next != nil {
		fields = append(fields, mrkdwn("*Next follow-up*\n"+c.next.DueAt.In(c.loc).Format("Mon Jan 2, 15:04")))
	}
	blocks := []slack.Block{slack.NewSectionBlock(mrkdwn(title), fields, nil)}
	if d.Score > 0 && len(d.ScoreReasons) > 0 {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn(scoreLine(d))))
	}
	if d.Stage == pipeline.StageLost && d.LostReason != "" {
		blocks = append(blocks, slack.NewContextBlock("", mrkdwn("Lost: "+escape(d.LostReason))))
	}
	if c.buttons {
		blocks = append(blocks, dealButtons(d))
	}
	return blocks
}

func dealButtons(d pipeline.Deal) *slack.ActionBlock {
	n := strconv.FormatInt(d.Number, 10)
	btn := func(id, label string, style slack.Style) *slack.ButtonBlockElement {
		b := slack.NewButtonBlockElement(id, n, plain(label))
		b.Style = style
		return b
	}
	els := []slack.BlockElement{
		btn(actMove, "Move stage", ""),
		btn(actNote, "Log activity", ""),
		btn(actFollowup, "Follow-up", ""),
		btn(actEdit, "Edit", ""),
	}
	if !d.Stage.Closed() {
		els = append(els, btn(actWon, "Won", slack.StylePrimary), btn(actLost, "Lost", slack.StyleDanger))
	}
	els = append(els, btn(actHistory, "History", ""))
	return slack.NewActionBlock("deal:"+n, els...)
}

func valueText(d pipeline.Deal) string {
	if d.Value.Minor == 0 {
		return "—"
	}
	if d.Recurring {
		return d.Value.String() + " / year"
	}
	return d.Value.String()
}

// dealLine is a deal in one line, for lists and search results.
func dealLine(d pipeline.Deal, stages []pipeline.StageDef) string {
	line := fmt.Sprintf("*%s* %s", d.Ref(), escape(d.AccountName))
	if d.Title != "" && d.Title != d.AccountName {
		line += " — " + escape(d.Title)
	}
	line += fmt.Sprintf(" · %s · %s · %s", escape(pipeline.StageLabelIn(stages, d.Stage)), valueText(d), userMention(d.OwnerID))
	return line
}

// ago says how long ago t was, in the largest whole unit.
func ago(t, now time.Time) string {
	d := now.Sub(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 24*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	return plural(int(d/(24*time.Hour)), "day") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

func contactLine(name, email string) string {
	// A quoted local part may hold characters that would end Slack's link
	// early (| and >): such an address is shown as text, not linked.
	link := escape(email)
	if email != "" && !strings.ContainsAny(email, "<>&|\" ") {
		link = fmt.Sprintf("<mailto:%s|%s>", email, email)
	}
	switch {
	case name != "" && email != "":
		return escape(name) + " " + link
	case email != "":
		return link
	}
	return escape(name)
}

func userMention(id string) string {
	if id == "" {
		return "unassigned"
	}
	return "<@" + id + ">"
}

// escape makes user text safe inside mrkdwn: Slack reads &, < and > as markup.
var escaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func escape(s string) string { return escaper.Replace(s) }

// quoted is what a person typed, clipped to n runes, in quotes and escaped:
// for messages that echo input back.
func quoted(s string, n int) string { return escape(strconv.Quote(clip(s, n))) }
