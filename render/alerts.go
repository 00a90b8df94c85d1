package render

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Action IDs of the buttons on the scheduler's reminders and alerts; their
// value is a follow-up ID or a deal number.
const (
	ActionFollowUpDone   = "followup_done"
	ActionFollowUpSnooze = "followup_snooze"
	ActionDealSnooze     = "deal_snooze"
)

// MaxReminderItems bounds the follow-ups listed in one reminder: two
// blocks each stays under Slack's 50 blocks.
const MaxReminderItems = 20

// Items per section of one morning message, so that the whole stays under
// Slack's 50 blocks: two blocks per stale or close item, one per
// escalation, a header and a "more" line per section.
const (
	maxStaleItems = 10
	maxCloseItems = 6
	maxEscItems   = 10
)

// FollowUpReminder is one owner's DM about follow-ups now due (at most
// MaxReminderItems, at least one), with Done and Snooze buttons; due times
// are shown in loc, the owner's timezone. The text names the first deal.
func FollowUpReminder(fs []sales.FollowUpDue, loc *time.Location) (text string, blocks json.RawMessage) {
	headline := "A follow-up is due"
	if len(fs) > 1 {
		headline = fmt.Sprintf("%d follow-ups are due", len(fs))
	}
	bs := []slack.Block{slack.NewSectionBlock(Mrkdwn(":alarm_clock: *"+headline+"*"), nil, nil)}
	for _, f := range fs {
		what := "Follow-up"
		if f.Kind == "checkin" {
			what = "Post-sale check-in"
		}
		line := RefLine(f.DealNumber, f.AccountName, f.DealTitle) +
			fmt.Sprintf("\n%s due %s", what, When(f.DueAt, loc))
		if f.Note != "" {
			line += "\n> " + Escape(f.Note)
		}
		id := strconv.FormatInt(f.ID, 10)
		bs = append(bs,
			slack.NewSectionBlock(Mrkdwn(line), nil, nil),
			slack.NewActionBlock("followup:"+id,
				itemButton(ActionFollowUpDone, id, "Done"),
				itemButton(ActionFollowUpSnooze, id, "Snooze")))
	}
	return headline + ": " + pipeline.FormatRef(fs[0].DealNumber), MustJSON(bs)
}

// MorningAlerts is one person's morning DM as of at; ok is false when
// there is nothing to say. Each section lists its deals with the buttons
// that act on them; the text names the first deal of each section.
func MorningAlerts(m sales.AlertItems, at time.Time) (text string, blocks json.RawMessage, ok bool) {
	var bs []slack.Block
	var lines []string
	section := func(emoji, headline, first string) {
		lines = append(lines, headline+": "+first)
		bs = append(bs, slack.NewSectionBlock(Mrkdwn(emoji+" *"+headline+"*"), nil, nil))
	}
	if n := len(m.Stale); n > 0 {
		section(":hourglass:", CountText(n, "One of your deals has gone quiet", "%d of your deals have gone quiet"), m.Stale[0].Ref())
		for i, d := range m.Stale {
			if i == maxStaleItems {
				bs = append(bs, moreLine(n-i, "`/pipeline stale` lists them all."))
				break
			}
			num := strconv.FormatInt(d.Number, 10)
			bs = append(bs,
				slack.NewSectionBlock(Mrkdwn(fmt.Sprintf("%s\n%s · no activity for %d days (limit %d)",
					RefLine(d.Number, d.AccountName, d.Title), Escape(string(d.Stage)), d.IdleDays(at), d.StaleDays)),
					nil, nil),
				slack.NewActionBlock("stale:"+num,
					itemButton(ActNote, num, "Log activity"),
					itemButton(ActionDealSnooze, num, "Snooze 7 days"),
					itemButton(ActMove, num, "Move"),
					itemButton(ActLost, num, "Lost")))
		}
	}
	if n := len(m.Close); n > 0 {
		section(":calendar:", CountText(n, "A deal is past its expected close date", "%d deals are past their expected close date"), m.Close[0].Ref())
		for i, d := range m.Close {
			if i == maxCloseItems {
				bs = append(bs, moreLine(n-i, "Update their close dates with `/deal edit`."))
				break
			}
			num := strconv.FormatInt(d.Number, 10)
			bs = append(bs,
				slack.NewSectionBlock(Mrkdwn(fmt.Sprintf("%s\nExpected to close %s · %s",
					RefLine(d.Number, d.AccountName, d.Title), d.ExpectedClose.Format("Jan 2, 2006"), Escape(string(d.Stage)))),
					nil, nil),
				slack.NewActionBlock("close:"+num, itemButton(ActEdit, num, "Edit"),
					itemButton(ActMove, num, "Move"), itemButton(ActLost, num, "Lost")))
		}
	}
	if n := len(m.Escalated); n > 0 {
		section(":rotating_light:", CountText(n, "A deal on your team has been idle for twice its limit",
			"%d deals on your team have been idle for twice their limit"),
			m.Escalated[0].Ref())
		for i, d := range m.Escalated {
			if i == maxEscItems {
				// /pipeline stale takes no arguments and already shows a manager their team.
				bs = append(bs, moreLine(n-i, "`/pipeline stale` lists them all."))
				break
			}
			bs = append(bs, slack.NewSectionBlock(Mrkdwn(fmt.Sprintf("%s\nOwner %s · %s · no activity for %d days (limit %d)",
				RefLine(d.Number, d.AccountName, d.Title), UserMention(d.OwnerID), Escape(string(d.Stage)), d.IdleDays(at), d.StaleDays)),
				nil, nil))
		}
	}
	if len(lines) == 0 {
		return "", nil, false
	}
	return strings.Join(lines, " · "), MustJSON(bs), true
}

func itemButton(action, value, label string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(action, value, Plain(label))
}

// moreLine says how many items did not fit, and where to see them.
func moreLine(n int, hint string) slack.Block {
	return slack.NewContextBlock("", Mrkdwn(fmt.Sprintf("…and %d more. %s", n, hint)))
}
