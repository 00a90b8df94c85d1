package render

import (
	"fmt"
	"strings"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"

	"github.com/slack-go/slack"
)

// The one-line answers shown above a deal's card after a change to it.

// NoteLogged confirms an activity of kind logged on d ("note" from /deal note).
func NoteLogged(d pipeline.Deal, kind string) string {
	if kind == "" || kind == "note" {
		return fmt.Sprintf(":memo: Note logged on %s.", d.Ref())
	}
	return fmt.Sprintf(":memo: %s logged on %s.", OptionLabel(kind), d.Ref())
}

// FollowUpSet confirms a follow-up on d: the same words whether it was typed
// or set from the Follow-up button, the time as a date token (loc for its
// fallback).
func FollowUpSet(d pipeline.Deal, due time.Time, loc *time.Location) string {
	return fmt.Sprintf(":alarm_clock: Follow-up on %s set for %s.", d.Ref(), When(due, loc))
}

// Edited confirms an edit, naming the fields it changed.
func Edited(res sales.DealEdited) string {
	if len(res.Changes) == 0 {
		return fmt.Sprintf("Nothing changed on %s.", res.After.Ref())
	}
	names := make([]string, len(res.Changes))
	for i, c := range res.Changes {
		names[i] = strings.ReplaceAll(c.Field, "_", " ")
	}
	return fmt.Sprintf(":pencil2: %s updated (%s).", res.After.Ref(), strings.Join(names, ", "))
}

// FollowOnOpened confirms a new upsell or cross-sell deal (kind as stored:
// "upsell", "cross_sell").
func FollowOnOpened(d pipeline.Deal, kind string) string {
	return fmt.Sprintf(":seedling: New %s deal %s on %s.", strings.ReplaceAll(kind, "_", "-"), d.Ref(), Escape(d.AccountName))
}

// Qualified confirms the answers to /lead qualify: qualified with its
// score, or disqualified and closed.
func Qualified(d pipeline.Deal, disqualified bool) string {
	if disqualified {
		return fmt.Sprintf(":no_entry_sign: %s disqualified and closed as lost.", d.Ref())
	}
	return fmt.Sprintf(":white_check_mark: %s qualified: score %d/100.", d.Ref(), d.Score)
}

// Assigned answers /lead assign: the lead taken at once, or offered to to.
func Assigned(res sales.LeadAssigned, to string) string {
	if !res.Offered {
		return fmt.Sprintf(":handshake: %s is yours now.", res.Deal.Ref())
	}
	return fmt.Sprintf(":handshake: %s offered to %s; you'll hear when they answer.", res.Deal.Ref(), UserMention(to))
}

// AlreadyOwner refuses a handoff to the person who owns the deal already.
func AlreadyOwner(e sales.ErrAlreadyOwner) string {
	return fmt.Sprintf("%s already belongs to %s.", pipeline.FormatRef(e.Number), UserMention(e.Owner))
}

// HandoffAnswered is what the person who answered an offer is shown in its
// place.
func HandoffAnswered(res sales.HandoffAnswer, accepted bool) string {
	d := res.Deal
	switch {
	case res.Next != "":
		return fmt.Sprintf(":leftwards_arrow_with_hook: You rejected %s; it went to the next rep.", d.Ref())
	case accepted:
		return fmt.Sprintf(":white_check_mark: You accepted %s. It's yours now.", d.Ref())
	}
	return fmt.Sprintf(":leftwards_arrow_with_hook: You rejected %s; it went back to %s.", d.Ref(), UserMention(d.OwnerID))
}

// LeadListHeader names whose open leads a list shows.
func LeadListHeader(l sales.LeadList) string {
	switch l.Scope {
	case sales.LeadsTeam:
		return "Open leads of your team"
	case sales.LeadsAll:
		return "All open leads"
	case sales.LeadsOf:
		return "Open leads of " + UserMention(l.Owner)
	}
	return "Your open leads"
}

// NoLeads answers a lead list that found none.
func NoLeads(l sales.LeadList) string {
	return LeadListHeader(l) + ": none. `/lead new` captures one."
}

// DealSnoozed answers Snooze 7 days on a stale-deal alert; until in loc.
func DealSnoozed(res sales.DealSnoozed, loc *time.Location) string {
	return fmt.Sprintf(":zzz: No stale alerts about %s until %s.", res.Deal.Ref(), WhenDay(res.Until, loc))
}

// FollowUpAnswered answers Done or Snooze on a follow-up's reminder; done
// says which was clicked, the snooze's end shown in loc.
func FollowUpAnswered(res sales.FollowUpAnswered, done bool, loc *time.Location) string {
	ref := pipeline.FormatRef(res.FollowUp.DealNumber)
	switch {
	case res.AlreadyDone:
		return fmt.Sprintf(":white_check_mark: The follow-up on %s is already done.", ref)
	case done:
		return fmt.Sprintf(":white_check_mark: Follow-up on %s done.", ref)
	}
	return fmt.Sprintf(":zzz: I'll remind you about %s again %s.", ref, When(res.Until, loc))
}

// LeadCreated is the DM that confirms a new lead to the person who entered
// it, with its card; it says so when the lead was offered to someone else.
func LeadCreated(d pipeline.Deal, createdBy string, now time.Time) Message {
	head := fmt.Sprintf(":white_check_mark: Lead *%s* created.", d.Ref())
	if d.OwnerID != createdBy {
		head += fmt.Sprintf(" It was offered to %s, who accepts or rejects it.", UserMention(d.OwnerID))
	}
	blocks := append([]slack.Block{slack.NewSectionBlock(Mrkdwn(head), nil, nil)}, DealCard(Card{Deal: d, Now: now, Buttons: true})...)
	return Message{Text: fmt.Sprintf("Lead %s created: %s", d.Ref(), Escape(d.AccountName)), Blocks: blocks}
}

// LeadNotSaved tells the person their lead was not saved: why, when the use
// case refused it (invalid, its words), else that the database is down.
func LeadNotSaved(company string, invalid *sales.ValidationError) string {
	if invalid != nil {
		return ":warning: The lead was not saved: " + Escape(invalid.Error())
	}
	return fmt.Sprintf(":warning: The lead for *%s* was not saved: the database is not reachable right now. Nothing was written; please try `/lead new %s` again in a minute.",
		Escape(company), Escape(company))
}
