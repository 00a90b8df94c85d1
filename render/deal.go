package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// Deal card button action IDs; each button's value is the deal number.
// commands routes clicks by them.
const (
	ActMove     = "deal_move"
	ActNote     = "deal_note"
	ActFollowup = "deal_followup"
	ActEdit     = "deal_edit"
	ActWon      = "deal_won"
	ActLost     = "deal_lost"
	ActHistory  = "deal_history"
	ActOpen     = "deal_open"
)

// Card is everything a deal card shows.
type Card struct {
	Deal    pipeline.Deal
	Stages  []pipeline.StageDef // nil: the default labels
	Next    *pipeline.FollowUp  // the next open follow-up, if any
	Loc     *time.Location      // the viewer's timezone; nil is UTC
	Now     time.Time           // zero: no "last activity" field
	Buttons bool                // on cards people work from
	// Approval is the deal's newest discount approval request, if any.
	Approval *pipeline.Approval
	// ApprovalsOn: the workspace requires approval above a discount.
	ApprovalsOn bool
	// Room is the deal's room, if any; RoomButton offers "Open deal room"
	// on a card with buttons when it has none.
	Room       *pipeline.Room
	RoomButton bool
}

// DealCard renders a deal as people see it everywhere: title line, the key
// fields and, on cards people work from, the buttons.
func DealCard(c Card) []slack.Block {
	d := c.Deal
	if c.Loc == nil {
		c.Loc = time.UTC
	}
	title := fmt.Sprintf("*%s · %s*", d.Ref(), Escape(d.AccountName))
	if d.Title != "" && d.Title != d.AccountName {
		title += " — " + Escape(d.Title)
	}
	fields := []*slack.TextBlockObject{
		Mrkdwn("*Stage*\n" + Escape(pipeline.StageLabelIn(c.Stages, d.Stage))),
		Mrkdwn("*Value*\n" + ValueText(d)),
		Mrkdwn("*Owner*\n" + UserMention(d.OwnerID)),
	}
	if d.ContactName != "" || d.ContactEmail != "" {
		fields = append(fields, Mrkdwn("*Contact*\n"+ContactLine(d.ContactName, d.ContactEmail)))
	}
	if d.ExpectedClose != nil {
		fields = append(fields, Mrkdwn("*Expected close*\n"+d.ExpectedClose.Format("Jan 2, 2006")))
	}
	if d.Source != "" {
		fields = append(fields, Mrkdwn("*Source*\n"+Escape(OptionLabel(d.Source))))
	}
	if d.Score > 0 {
		fields = append(fields, Mrkdwn("*Score*\n"+strconv.Itoa(d.Score)+"/100"))
	}
	if !c.Now.IsZero() && !d.LastActivityAt.IsZero() {
		fields = append(fields, Mrkdwn("*Last activity*\n"+Ago(d.LastActivityAt, c.Now)))
	}
	if c.Next != nil {
		fields = append(fields, Mrkdwn("*Next follow-up*\n"+When(c.Next.DueAt, c.Loc)))
	}
	blocks := []slack.Block{slack.NewSectionBlock(Mrkdwn(title), fields, nil)}
	if d.Inbound != nil {
		blocks = append(blocks, inboundBlock(d.Inbound))
	}
	if line := ScoreLine(d); d.Score > 0 && line != "" {
		blocks = append(blocks, slack.NewContextBlock("", Mrkdwn(line)))
	}
	if d.Stage == pipeline.StageLost && d.LostReason != "" {
		blocks = append(blocks, slack.NewContextBlock("", Mrkdwn("Lost: "+Escape(d.LostReason))))
	}
	if line := ApprovalLine(d, c.Approval); line != "" {
		blocks = append(blocks, slack.NewContextBlock("", Mrkdwn(line)))
	}
	if line := RoomLine(c.Room); line != "" {
		blocks = append(blocks, slack.NewContextBlock("", Mrkdwn(line)))
	}
	if c.Buttons {
		buttons := DealButtons(d)
		if b := requestApprovalButton(c); b != nil {
			buttons.Elements.ElementSet = append(buttons.Elements.ElementSet, b)
		}
		blocks = append(blocks, buttons)
	}
	if c.Buttons && c.RoomButton && c.Room == nil && !d.Stage.Closed() {
		blocks = append(blocks, RoomButton(d))
	}
	return blocks
}

// DealButtons are the card's buttons: Won and Lost only while it is open.
func DealButtons(d pipeline.Deal) *slack.ActionBlock {
	n := strconv.FormatInt(d.Number, 10)
	btn := func(id, label string, style slack.Style) *slack.ButtonBlockElement {
		b := slack.NewButtonBlockElement(id, n, Plain(label))
		b.Style = style
		return b
	}
	els := []slack.BlockElement{
		btn(ActMove, "Move stage", ""),
		btn(ActNote, "Log activity", ""),
		btn(ActFollowup, "Follow-up", ""),
		btn(ActEdit, "Edit", ""),
	}
	if !d.Stage.Closed() {
		els = append(els, btn(ActWon, "Won", slack.StylePrimary), btn(ActLost, "Lost", slack.StyleDanger))
	}
	els = append(els, btn(ActHistory, "History", ""))
	return slack.NewActionBlock("deal:"+n, els...)
}

// ValueText is a deal's value, "—" when it has none, per year when it recurs.
func ValueText(d pipeline.Deal) string {
	if d.Value.Minor == 0 {
		return "—"
	}
	if d.Recurring {
		return d.Value.String() + " / year"
	}
	return d.Value.String()
}

// DealLine is a deal in one line, for lists and search results.
func DealLine(d pipeline.Deal, stages []pipeline.StageDef) string {
	line := fmt.Sprintf("*%s* %s", d.Ref(), Escape(d.AccountName))
	if d.Title != "" && d.Title != d.AccountName {
		line += " — " + Escape(d.Title)
	}
	line += fmt.Sprintf(" · %s · %s · %s", Escape(pipeline.StageLabelIn(stages, d.Stage)), ValueText(d), UserMention(d.OwnerID))
	return line
}

// OptionLabel turns a stored value ("cold call") into its label ("Cold call").
func OptionLabel(v string) string { return Capitalize(v) }

// ScoreLine is the card's line under the fields: why the score is what it
// is (the number itself is a field already), "" when nothing is left to
// say. "Not qualified yet" is a lead's note: past qualification it is stale.
func ScoreLine(d pipeline.Deal) string {
	var why []string
	for _, r := range d.ScoreReasons {
		if r == pipeline.ScoreNotQualified && d.Stage != pipeline.StageLead && d.Stage != pipeline.StageQualified {
			continue
		}
		why = append(why, r)
	}
	if len(why) == 0 {
		return ""
	}
	return "Why the score: " + Escape(strings.Join(why, " · "))
}

// MoveSummary says what a stage change did to d, in one line.
func MoveSummary(d pipeline.Deal, c pipeline.StageChange) string {
	switch {
	case c.To == pipeline.StageWon:
		return fmt.Sprintf(":tada: %s is won for %s.", d.Ref(), ValueText(d))
	case c.To == pipeline.StageLost:
		return fmt.Sprintf("%s is closed as lost.", d.Ref())
	case c.Reopen:
		return fmt.Sprintf(":leftwards_arrow_with_hook: %s is reopened at %s.", d.Ref(), Escape(pipeline.StageLabel(c.To)))
	}
	return fmt.Sprintf(":arrow_right: %s moved from %s to %s.", d.Ref(), Escape(pipeline.StageLabel(c.From)), Escape(pipeline.StageLabel(c.To)))
}

// CardMessage is a deal's card as a message of its own, with an optional
// line above it (what just happened), which is then also its text.
func CardMessage(c Card, lead string) Message {
	var blocks []slack.Block
	text := fmt.Sprintf("%s · %s", c.Deal.Ref(), Escape(c.Deal.AccountName))
	if lead != "" {
		blocks = append(blocks, slack.NewSectionBlock(Mrkdwn(lead), nil, nil))
		text = lead
	}
	return Message{Text: text, Blocks: append(blocks, DealCard(c)...)}
}

// DealList is deals as lines under a header, which is mrkdwn (user text in
// it already escaped): at most 20, and fewer when long titles would take the
// section past Slack's 3000 characters.
func DealList(header string, deals []pipeline.Deal, stages []pipeline.StageDef) Message {
	lines := make([]string, 0, len(deals))
	size := 0
	for i, d := range deals {
		line := DealLine(d, stages)
		if i == 20 || size+len([]rune(line)) > 2800 {
			lines = append(lines, fmt.Sprintf("…and %d more.", len(deals)-i))
			break
		}
		lines = append(lines, line)
		size += len([]rune(line)) + 1
	}
	return Message{Text: header, Blocks: []slack.Block{
		slack.NewSectionBlock(Mrkdwn("*"+header+"*"), nil, nil),
		slack.NewSectionBlock(Mrkdwn(strings.Join(lines, "\n")), nil, nil),
		slack.NewContextBlock("", Mrkdwn("`/deal D-42` opens a deal's card.")),
	}}
}

// FindUsage answers /deal find without text, or with too much.
const FindUsage = "Usage: `/deal find <company, title or contact>` (up to 100 characters)"

// FoundHeader heads the deals matching q.
func FoundHeader(q string) string { return "Deals matching " + Quoted(q, 100) }

// NoneFound answers a search that found nothing.
func NoneFound(q string) string { return fmt.Sprintf("No deals of yours match %s.", Quoted(q, 100)) }
