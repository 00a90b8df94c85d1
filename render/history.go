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
		lines = append(lines, fmt.Sprintf("%s · %s %s", When(e.CreatedAt, loc), who, describeChange(e, loc)))
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

// describeChange says what one history entry did, in words; the times it
// holds (stored in RFC 3339, UTC) as date tokens.
func describeChange(e pipeline.HistoryEntry, loc *time.Location) string {
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
		return describeFollowUp(e, loc, q)
	case "owner":
		return fmt.Sprintf("handed it from %s to %s", UserMention(e.OldValue), UserMention(e.NewValue))
	case "handoff":
		return "answered the handoff: " + Escape(e.NewValue)
	case "approval":
		return describeApproval(e, q)
	case "message":
		return describeMessage(e, q)
	}
	if e.Field != "" {
		return fmt.Sprintf("changed %s from %s to %s", strings.ReplaceAll(e.Field, "_", " "), q(e.OldValue), q(e.NewValue))
	}
	return Escape(e.Action) + " " + q(e.NewValue)
}

// describeFollowUp says what a "followup" history entry did: its values
// start with a time in RFC 3339 (the due time, then the note, if any).
func describeFollowUp(e pipeline.HistoryEntry, loc *time.Location, q func(string) string) string {
	what := "a follow-up"
	if e.Field == "checkin" {
		what = "a post-sale check-in"
	}
	due, note := splitStamp(e.NewValue, loc)
	switch e.Field {
	case "done":
		return "marked the follow-up due " + due + " done"
	case "snoozed_until":
		old, _ := splitStamp(e.OldValue, loc)
		return fmt.Sprintf("snoozed the follow-up reminder from %s to %s", old, due)
	case "closed":
		return "closed the follow-up due " + due + withNote(note, q) + " with the deal"
	case "kept":
		return "kept the follow-up due " + due + withNote(note, q) + " open"
	}
	line := "set " + what + " for " + due
	if note != "" {
		line += " " + q(note)
	}
	return line
}

// splitStamp reads "2026-12-04T22:00:00Z note" into the time as a date token
// and the note; a value that does not start with a time is all note.
func splitStamp(v string, loc *time.Location) (when, note string) {
	stamp, rest, _ := strings.Cut(v, " ")
	t, err := time.Parse(time.RFC3339, stamp)
	if err != nil {
		return q2(v), ""
	}
	return When(t, loc), rest
}

func q2(s string) string { return "“" + Escape(Clip(s, 120)) + "”" }

// withNote is " \"note\"" quoted, or nothing for no note.
func withNote(note string, q func(string) string) string {
	if note == "" {
		return ""
	}
	return " " + q(note)
}
