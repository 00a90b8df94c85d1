package render

import (
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// A room's notices are one line each: the channel is the deal's, so the
// line says who did what, with the deal's reference for search.

// roomText is a person's text in a room's line: on one line, clipped, escaped.
func roomText(s string, n int) string {
	return Escape(Clip(strings.Join(strings.Fields(s), " "), n))
}

// RoomMovedNotice is a room's line for a move between open stages or a reopen.
func RoomMovedNotice(n sales.RoomMoved) Message {
	if n.Change.Reopen {
		return Message{Text: fmt.Sprintf(":leftwards_arrow_with_hook: %s reopened *%s*: %s → %s.",
			UserMention(n.By), n.Deal.Ref(), Escape(n.From), Escape(n.To))}
	}
	return Message{Text: fmt.Sprintf(":arrow_right: %s moved *%s* from %s to %s.",
		UserMention(n.By), n.Deal.Ref(), Escape(n.From), Escape(n.To))}
}

// RoomActivityNotice is a room's line for an activity logged on its deal.
func RoomActivityNotice(n sales.RoomActivity) Message {
	a := n.Activity
	return Message{Text: fmt.Sprintf(":memo: %s logged %s on *%s*: %s",
		UserMention(a.AuthorID), activityWord(a.Kind), n.Deal.Ref(), roomText(a.Body, 500))}
}

// activityWord is an activity kind with its article: "a call", "an email".
func activityWord(kind string) string {
	switch kind {
	case "", "note":
		return "a note"
	case "call", "meeting":
		return "a " + kind
	case "email":
		return "an email"
	case pipeline.KindMessage:
		return "a Slack message"
	}
	return "an activity"
}

// RoomFollowUpNotice is a room's line for a follow-up scheduled or done.
func RoomFollowUpNotice(n sales.RoomFollowUp) Message {
	f := n.FollowUp
	note := "."
	if f.Note != "" {
		note = ": " + roomText(f.Note, 300)
	}
	if n.Done {
		return Message{Text: fmt.Sprintf(":white_check_mark: %s did the follow-up on *%s*%s",
			UserMention(n.By), n.Deal.Ref(), note)}
	}
	return Message{Text: fmt.Sprintf(":alarm_clock: %s set a follow-up on *%s* for %s, due %s%s",
		UserMention(n.By), n.Deal.Ref(), UserMention(f.OwnerID), When(f.DueAt, pipeline.Zone(n.Timezone)), note)}
}

// RoomApprovalNotice is a room's line for a discount request made,
// approved, rejected or invalidated.
func RoomApprovalNotice(n sales.RoomApproval) Message {
	a, ref := n.Approval, n.Deal.Ref()
	why := func(s string) string {
		if s == "" {
			return "."
		}
		return ": " + roomText(s, 300)
	}
	var line string
	switch a.State {
	case pipeline.ApprovalApproved:
		line = fmt.Sprintf(":white_check_mark: %s approved %s on *%s*%s", UserMention(n.By), approvalAsked(a), ref, why(a.DecisionReason))
	case pipeline.ApprovalRejected:
		line = fmt.Sprintf(":x: %s rejected %s on *%s*%s", UserMention(n.By), approvalAsked(a), ref, why(a.DecisionReason))
	case pipeline.ApprovalInvalidated:
		line = fmt.Sprintf(":warning: The approval of %s on *%s* no longer holds: %s changed the amount or discount.",
			approvalAsked(a), ref, UserMention(n.By))
	default:
		line = fmt.Sprintf(":raised_hand: %s asked to approve %s on *%s*%s", UserMention(a.RequestedBy), approvalAsked(a), ref, why(a.Reason))
	}
	return Message{Text: line}
}

// RoomClosedNotice is a room's line for its deal won or lost, followed by
// the deal's history in brief.
func RoomClosedNotice(n sales.RoomClosed) Message {
	d := n.Deal
	line := fmt.Sprintf(":trophy: %s won *%s* for %s.", UserMention(n.By), d.Ref(), wonFor(d))
	if d.Stage == pipeline.StageLost {
		line = fmt.Sprintf(":x: %s lost *%s*: %s", UserMention(n.By), d.Ref(), roomText(d.LostReason, 300))
	}
	summary := roomSummary(n)
	return Message{Text: line + "\n" + summary, Blocks: []slack.Block{
		slack.NewSectionBlock(Mrkdwn(line), nil, nil),
		slack.NewSectionBlock(Mrkdwn(summary), nil, nil),
	}}
}

// wonFor is what a won deal is worth: its amount, and its price when discounted.
func wonFor(d pipeline.Deal) string {
	if d.DiscountBps > 0 && d.Value.Minor > 0 {
		return fmt.Sprintf("%s (%s after a %s discount)", ValueText(d), d.Price(), pipeline.FormatDiscount(d.DiscountBps))
	}
	return ValueText(d)
}

// roomSummary is a closed deal's history in brief: value, owner, when
// created and how long open, the stages it passed and when, what was
// logged and asked, and the outcome.
func roomSummary(n sales.RoomClosed) string {
	d, b, loc := n.Deal, n.Brief, pipeline.Zone(n.Timezone)
	label := func(k pipeline.Stage) string {
		for _, s := range n.Stages {
			if s.Key == k {
				return Escape(s.Label)
			}
		}
		return Escape(string(k))
	}
	head := fmt.Sprintf(":checkered_flag: *Summary of %s* %s", d.Ref(), Escape(d.AccountName))
	if d.Title != "" && d.Title != d.AccountName {
		head += " — " + Escape(d.Title)
	}
	lines := []string{
		head,
		fmt.Sprintf("Value %s · owner %s · created %s · open %s",
			ValueText(d), UserMention(d.OwnerID), WhenDay(d.CreatedAt, loc), Plural(pipeline.CycleDays(d, d.UpdatedAt), "day")),
	}
	if len(b.Steps) > 0 {
		path := []string{fmt.Sprintf("%s %s", label(b.Steps[0].From), WhenDay(d.CreatedAt, loc))}
		for _, s := range b.Steps {
			path = append(path, fmt.Sprintf("%s %s", label(s.To), WhenDay(s.At, loc)))
		}
		if len(path) > summaryStagesHead+2 {
			// A deal moved back and forth many times: the first stages and
			// the last, so the summary stays one readable section.
			last := path[len(path)-1]
			more := len(path) - summaryStagesHead - 1
			path = append(path[:summaryStagesHead:summaryStagesHead], fmt.Sprintf("… %d more", more), last)
		}
		lines = append(lines, "Stages: "+strings.Join(path, " → "))
	}
	asked := 0
	for _, c := range b.Approvals {
		asked += c
	}
	logged := "Activities: " + fmt.Sprint(b.Activities)
	if asked > 0 {
		var parts []string
		for _, st := range []pipeline.ApprovalState{pipeline.ApprovalApproved, pipeline.ApprovalRejected, pipeline.ApprovalInvalidated, pipeline.ApprovalPending} {
			if c := b.Approvals[st]; c > 0 {
				parts = append(parts, fmt.Sprintf("%d %s", c, st))
			}
		}
		logged += fmt.Sprintf(" · discount approvals: %d asked (%s)", asked, strings.Join(parts, ", "))
	}
	lines = append(lines, logged)
	if d.Stage == pipeline.StageLost {
		lines = append(lines, "Outcome: lost — "+roomText(d.LostReason, 300))
	} else {
		lines = append(lines, "Outcome: won for "+wonFor(d))
	}
	return Clip(strings.Join(lines, "\n"), MaxSectionText)
}

// summaryStagesHead is how many stages a close summary lists before the
// rest is counted, the last one still named.
const summaryStagesHead = 3

// RoomEditedNotice is a room's line for fields of its deal edited.
func RoomEditedNotice(n sales.RoomEdited) Message {
	parts := make([]string, 0, len(n.Changes))
	for _, c := range n.Changes {
		parts = append(parts, fmt.Sprintf("%s %s → %s", strings.ReplaceAll(c.Field, "_", " "), roomValue(c.Old), roomValue(c.New)))
	}
	return Message{Text: fmt.Sprintf(":pencil2: %s edited *%s*: %s", UserMention(n.By), n.Deal.Ref(), strings.Join(parts, "; "))}
}

// roomValue is an edited field's value in a room's line: clipped, escaped,
// "none" when empty.
func roomValue(s string) string {
	if strings.TrimSpace(s) == "" {
		return "none"
	}
	return roomText(s, 100)
}

// RoomOwnerChangedNotice is a room's line for its deal's new owner.
func RoomOwnerChangedNotice(n sales.RoomOwnerChanged) Message {
	return Message{Text: fmt.Sprintf(":busts_in_silhouette: %s now owns *%s* (it was %s's).",
		UserMention(n.Deal.OwnerID), roomDeal(n.Deal), UserMention(n.From))}
}
