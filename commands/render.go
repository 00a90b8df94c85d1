package commands

import (
	"fmt"
	"strconv"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
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
	title := fmt.Sprintf("*%s · %s*", d.Ref(), render.Escape(d.AccountName))
	if d.Title != "" && d.Title != d.AccountName {
		title += " — " + render.Escape(d.Title)
	}
	fields := []*slack.TextBlockObject{
		render.Mrkdwn("*Stage*\n" + render.Escape(pipeline.StageLabelIn(c.stages, d.Stage))),
		render.Mrkdwn("*Value*\n" + valueText(d)),
		render.Mrkdwn("*Owner*\n" + render.UserMention(d.OwnerID)),
	}
	if d.ContactName != "" || d.ContactEmail != "" {
		fields = append(fields, render.Mrkdwn("*Contact*\n"+render.ContactLine(d.ContactName, d.ContactEmail)))
	}
	if d.ExpectedClose != nil {
		fields = append(fields, render.Mrkdwn("*Expected close*\n"+d.ExpectedClose.Format("Jan 2, 2006")))
	}
	if d.Source != "" {
		fields = append(fields, render.Mrkdwn("*Source*\n"+render.Escape(optionLabel(d.Source))))
	}
	if d.Score > 0 {
		fields = append(fields, render.Mrkdwn("*Score*\n"+strconv.Itoa(d.Score)+"/100"))
	}
	if !c.now.IsZero() && !d.LastActivityAt.IsZero() {
		fields = append(fields, render.Mrkdwn("*Last activity*\n"+render.Ago(d.LastActivityAt, c.now)))
	}
	if c.next != nil {
		fields = append(fields, render.Mrkdwn("*Next follow-up*\n"+c.next.DueAt.In(c.loc).Format("Mon Jan 2, 15:04")))
	}
	blocks := []slack.Block{slack.NewSectionBlock(render.Mrkdwn(title), fields, nil)}
	if d.Score > 0 && len(d.ScoreReasons) > 0 {
		blocks = append(blocks, slack.NewContextBlock("", render.Mrkdwn(scoreLine(d))))
	}
	if d.Stage == pipeline.StageLost && d.LostReason != "" {
		blocks = append(blocks, slack.NewContextBlock("", render.Mrkdwn("Lost: "+render.Escape(d.LostReason))))
	}
	if c.buttons {
		blocks = append(blocks, dealButtons(d))
	}
	return blocks
}

func dealButtons(d pipeline.Deal) *slack.ActionBlock {
	n := strconv.FormatInt(d.Number, 10)
	btn := func(id, label string, style slack.Style) *slack.ButtonBlockElement {
		b := slack.NewButtonBlockElement(id, n, render.Plain(label))
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
	line := fmt.Sprintf("*%s* %s", d.Ref(), render.Escape(d.AccountName))
	if d.Title != "" && d.Title != d.AccountName {
		line += " — " + render.Escape(d.Title)
	}
	line += fmt.Sprintf(" · %s · %s · %s", render.Escape(pipeline.StageLabelIn(stages, d.Stage)), valueText(d), render.UserMention(d.OwnerID))
	return line
}
