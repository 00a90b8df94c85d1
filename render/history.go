package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// historyLimit is how many entries the history shows; section text is
// capped at 3000 characters by Slack.
const historyLimit = 25

// History renders a deal's audit history, newest first, its times in loc.
func History(dh sales.DealHistory, loc *time.Location) Message {
	d, h := dh.Deal, dh.Entries
	var lines []string
	for i, e := range h {
		if i == historyLimit {
			lines = append(lines, fmt.Sprintf("…and %d older entries.", len(h)-historyLimit))
			break
		}
		who := "salesbot"
		if e.ActorID != "" {
			who = UserMention(e.ActorID)
		}
		lines = append(lines, fmt.Sprintf("`%s` %s %s", e.CreatedAt.In(loc).Format("Jan 2 15:04"), who, describeChange(e)))
	}
	if len(lines) == 0 {
		lines = []string{"No history yet."}
	}
	text := strings.Join(lines, "\n")
	if r := []rune(text); len(r) > 2900 {
		text = string(r[:2900]) + "…"
	}
	return Message{Text: fmt.Sprintf("History of %s", d.Ref()), Blocks: []slack.Block{
		slack.NewSectionBlock(Mrkdwn(fmt.Sprintf("*History of %s · %s*", d.Ref(), Escape(d.AccountName))), nil, nil),
		slack.NewSectionBlock(Mrkdwn(text), nil, nil),
	}}
}

// describeChange says what one history entry did, in words.
func describeChange(e pipeline.HistoryEntry) string {
	q := func(s string) string { return "“" + Escape(Clip(s, 120)) + "”" }
	switch e.Action {
	case "created":
		return "created the deal " + q(e.NewValue)
	case "stage":
		return fmt.Sprintf("moved it from %s to %s", Escape(pipeline.StageLabel(pipeline.Stage(e.OldValue))), Escape(pipeline.StageLabel(pipeline.Stage(e.NewValue))))
	case "reopened":
		return "reopened it"
	case "note":
		return "logged " + q(e.NewValue)
	case "followup":
		switch e.Field {
		case "closed":
			return "closed the follow-up " + q(e.NewValue) + " with the deal"
		case "kept":
			return "kept the follow-up " + q(e.NewValue) + " open"
		}
		return "set a follow-up " + q(e.NewValue)
	case "owner":
		return fmt.Sprintf("handed it from %s to %s", UserMention(e.OldValue), UserMention(e.NewValue))
	case "handoff":
		return "answered the handoff: " + Escape(e.NewValue)
	}
	if e.Field != "" {
		return fmt.Sprintf("changed %s from %s to %s", strings.ReplaceAll(e.Field, "_", " "), q(e.OldValue), q(e.NewValue))
	}
	return Escape(e.Action) + " " + q(e.NewValue)
}
