package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// "Add to deal", the message shortcut: its callback ID (the manifest's),
// the modal's and its inputs.
const (
	ShortcutAddToDeal = "add_to_deal"
	CbCapture         = "capture"
	InCaptureDeal     = "capture_deal" // the suggested deals
	InCaptureRef      = "capture_ref"  // a deal number typed instead
)

// AddToDealHelp is what help says about the message shortcut.
const AddToDealHelp = "*Add to deal* — on any message, choose *Add to deal* in its *⋯* menu (More actions) to log it on a deal: " +
	"salesbot suggests the deal whose room it is in, the deals it names, then your recent deals. " +
	"The deal keeps who wrote it, when, its text and a link to it; a message is logged once per deal."

// FormCapture is the Add to deal form, for the message when it cannot open.
var FormCapture = Form{"Add to deal", "use *Add to deal* on the message again"}

// previewLen is how much of the message the modal shows.
const previewLen = 500

// CaptureModal asks which deal a message goes on: the suggestions, grouped
// by why they are offered, and a deal number to type instead. author and
// text are the message's (shown escaped); unavailable says the suggestions
// could not be read in time.
func CaptureModal(author, text string, sg sales.DealSuggestions, unavailable bool, metadata string) slack.ModalViewRequest {
	preview := "_(no text)_"
	if t := strings.TrimSpace(text); t != "" {
		preview = "> " + strings.ReplaceAll(Escape(Clip(t, previewLen)), "\n", "\n> ")
	}
	blocks := []slack.Block{
		slack.NewSectionBlock(Mrkdwn(fmt.Sprintf("Message from %s:\n%s", mention(author), preview)), nil, nil),
	}
	switch {
	case unavailable:
		blocks = append(blocks, slack.NewContextBlock("", Mrkdwn("Suggestions are unavailable right now: type the deal's number.")))
	case !sg.Matched && len(sg.Deals) > 0:
		blocks = append(blocks, slack.NewContextBlock("", Mrkdwn("No deal matches this message: pick one of your deals or type its number.")))
	case !sg.Matched:
		blocks = append(blocks, slack.NewContextBlock("", Mrkdwn("No deal matches this message, and you have no deals to pick from: type the deal's number.")))
	}
	if len(sg.Deals) > 0 {
		sel := slack.NewOptionsGroupSelectBlockElement(slack.OptTypeStatic, Plain("Choose a deal"), InCaptureDeal, suggestionGroups(sg.Deals)...)
		blocks = append(blocks, Field(InCaptureDeal, "Deal", "", sel, true))
	}
	label, hint := "Or a deal number", "Used instead of the deal chosen above."
	if len(sg.Deals) == 0 {
		label, hint = "Deal number", ""
	}
	blocks = append(blocks, Field(InCaptureRef, label, hint, TextEl(InCaptureRef, "D-42", "", 20, false), len(sg.Deals) > 0))
	return Modal(CbCapture, "Add to deal", "Add", metadata, blocks...)
}

// suggestionGroups puts the suggestions under a label each, in their order.
func suggestionGroups(ds []sales.DealSuggestion) []*slack.OptionGroupBlockObject {
	labels := map[string]string{sales.SuggestRoom: "This deal's room", sales.SuggestMention: "Named in the message",
		sales.SuggestRecent: "Your recent deals"}
	var groups []*slack.OptionGroupBlockObject
	for _, s := range ds {
		if len(groups) == 0 || groups[len(groups)-1].Label.Text != labels[s.Why] {
			groups = append(groups, slack.NewOptionGroupBlockElement(Plain(labels[s.Why])))
		}
		g := groups[len(groups)-1]
		g.Options = append(g.Options, slack.NewOptionBlockObject(strconv.FormatInt(s.Deal.Number, 10), Plain(suggestionLabel(s.Deal)), nil))
	}
	return groups
}

// suggestionLabel is "D-42 · Acme — Renewal (Proposal)", clipped to Slack's
// 75 characters; plain text, so nothing is escaped.
func suggestionLabel(d pipeline.Deal) string {
	s := d.Ref() + " · " + d.AccountName
	if d.Title != "" && d.Title != d.AccountName {
		s += " — " + d.Title
	}
	stage := " (" + pipeline.StageLabel(d.Stage) + ")"
	if room := 75 - utf8.RuneCountInString(stage); room >= 20 {
		return Clip(s, room) + stage // the stage stays readable however long the title
	}
	return Clip(s+stage, 75)
}

// PickADeal is the inline error of an Add to deal form with no deal.
func PickADeal(suggested bool) string {
	if suggested {
		return "Choose a deal above or type its number, like D-42."
	}
	return "Type the deal's number, like D-42."
}

// TwoDeals is the inline error when the chosen and the typed deals differ.
func TwoDeals(chosen, typed int64) string {
	return fmt.Sprintf("You chose %s above and typed %s: keep one.", pipeline.FormatRef(chosen), pipeline.FormatRef(typed))
}

// MessageAdded tells the person the message is on the deal, or was
// already, with a button to the deal's card.
func MessageAdded(res sales.MessageAdded, loc *time.Location) Message {
	d, a := res.Deal, res.Activity
	src := a.Source
	if src == nil {
		src = &pipeline.CapturedMessage{}
	}
	msg := "message"
	if link := messageLink(src.Permalink, "message"); link != "" {
		msg = link
	}
	var text string
	if res.Already {
		text = fmt.Sprintf("%s's %s was already on %s: %s added it %s, so it is not logged twice.",
			mention(src.Author), msg, RefLine(d.Number, d.AccountName, d.Title), mention(a.AuthorID), When(a.CreatedAt, loc))
	} else {
		text = fmt.Sprintf("✅ Added %s's %s (%s) to %s.", mention(src.Author), msg, When(src.At, loc), RefLine(d.Number, d.AccountName, d.Title))
	}
	ref := d.Ref()
	return Message{Text: plainAdded(res), Blocks: []slack.Block{
		slack.NewSectionBlock(Mrkdwn(text), nil, nil),
		slack.NewActionBlock("capture:"+strconv.FormatInt(d.Number, 10),
			itemButton(ActOpen, strconv.FormatInt(d.Number, 10), "Open "+ref)),
	}}
}

func plainAdded(res sales.MessageAdded) string {
	if res.Already {
		return "That message was already on " + res.Deal.Ref() + "."
	}
	return "Message added to " + res.Deal.Ref() + "."
}

// describeMessage is a history entry of a captured message: field is its
// writer, old value its link, new value its text.
func describeMessage(e pipeline.HistoryEntry, q func(string) string) string {
	s := fmt.Sprintf("added %s's message %s", mention(e.Field), q(strings.Join(strings.Fields(e.NewValue), " "))) // one line each
	if link := messageLink(e.OldValue, "view in Slack"); link != "" {
		s += " (" + link + ")"
	}
	return s
}

// mention is a Slack user ID as a mention; an app's bot ID (B…) as "an
// app", since <@B…> is no mention; anything else (it came from a payload)
// is shown escaped instead, so it cannot become markup.
func mention(id string) string {
	if strings.HasPrefix(id, "B") {
		return "an app"
	}
	if id == "" || strings.IndexFunc(id, func(r rune) bool { return (r < 'A' || r > 'Z') && (r < '0' || r > '9') }) >= 0 {
		return Escape(id)
	}
	return UserMention(id)
}

// messageLink is <url|label> for a Slack permalink, or "" when url could
// break out of the link's markup or is not https.
func messageLink(url, label string) string {
	if !strings.HasPrefix(url, "https://") || strings.ContainsAny(url, "|<> \n\t") {
		return ""
	}
	return "<" + strings.ReplaceAll(url, "&", "&amp;") + "|" + label + ">"
}

// Why a message could not be added, for the person who tried.
const (
	CaptureBadMessage     = "Slack sent that message without a valid time, so it cannot be added; use *Add to deal* on it again."
	CaptureMessageGone    = "That message no longer exists in Slack, so it was not added."
	CaptureNoText         = ":warning: That message has no text to add (only a message with text can be added to a deal), so no form opened. Nothing was added."
	PermalinkNotInChannel = "salesbot cannot see that conversation, so it cannot link to the message: invite @salesbot to the channel (`/invite @salesbot`) and use *Add to deal* again. Nothing was added."
	// A direct message between people: salesbot cannot be invited there.
	PermalinkNotInDM = "salesbot cannot see direct messages it is not part of, so it cannot link to that message. Nothing was added: share the message in a channel salesbot is in and use *Add to deal* there, or log it with *Log activity* on the deal."
)

// PermalinkRefused says Slack would not link to the message; code is
// Slack's error code.
func PermalinkRefused(code string) string {
	return fmt.Sprintf("Slack would not give a link to that message (%s), so it was not added. Try again, or ask an admin if it keeps happening.", Escape(code))
}
