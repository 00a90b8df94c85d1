package render

import (
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Message is what a message shows: the notification text and its blocks
// (none for a text-only message). Where it goes is the caller's business.
type Message struct {
	Text   string
	Blocks []slack.Block
}

// Handoff button action IDs; the value is the deal number.
const (
	ActAccept = "handoff_accept"
	ActReject = "handoff_reject"
)

// offer is a DM asking someone to take a deal: a line, the card, Accept and
// Reject.
func offer(d pipeline.Deal, head, text string) Message {
	n := strconv.FormatInt(d.Number, 10)
	accept := slack.NewButtonBlockElement(ActAccept, n, Plain("Accept"))
	accept.Style = slack.StylePrimary
	reject := slack.NewButtonBlockElement(ActReject, n, Plain("Reject"))
	reject.Style = slack.StyleDanger
	blocks := append([]slack.Block{slack.NewSectionBlock(Mrkdwn(head), nil, nil)}, DealCard(Card{Deal: d})...)
	blocks = append(blocks, slack.NewActionBlock("handoff:"+n, accept, reject))
	return Message{Text: text, Blocks: blocks}
}

// RoutedOffer is the DM that offers a routed lead to its rep.
func RoutedOffer(n sales.LeadRouted) Message {
	d := n.Deal
	if d.Inbound != nil && !n.RespondBy.IsZero() {
		return routedInbound(n)
	}
	return offer(d,
		fmt.Sprintf(":inbox_tray: New lead *%s* routed to you (%s). Will you take it?", d.Ref(), Escape(n.Reason)),
		fmt.Sprintf("New lead %s (%s) routed to you. Accept or reject it.", d.Ref(), Escape(d.AccountName)))
}

// HandoffOffer is the DM that asks the new owner to take the deal.
func HandoffOffer(n sales.LeadHandedOver) Message {
	d := n.Deal
	return offer(d,
		fmt.Sprintf(":handshake: %s handed you *%s*. Will you take it?", UserMention(n.From), d.Ref()),
		fmt.Sprintf("%s handed you %s (%s). Accept or reject it.", UserMention(n.From), d.Ref(), Escape(d.AccountName)))
}

// HandoffAnswer is the DM that tells the previous owner how their offer
// was answered.
func HandoffAnswer(n sales.HandoffAnswered) Message {
	verb := "accepted"
	if !n.Accepted {
		verb = "rejected"
	}
	return Message{Text: fmt.Sprintf("%s %s %s (%s).", UserMention(n.By), verb, n.Deal.Ref(), Escape(n.Deal.AccountName))}
}

// Rerouted is the DM that tells a manager where a lead went after a rep
// rejected it or let it lapse, or that no one could take it.
func Rerouted(n sales.LeadRerouted) Message {
	if !n.MissedBy.IsZero() {
		return reroutedMissed(n)
	}
	d, what := n.Deal, "rejected it"
	if n.Lapsed {
		what = "did not answer in time"
	}
	if n.To == "" {
		return Message{Text: fmt.Sprintf(":warning: %s %s %s (%s), and no other rep can take it now; it stays with %s.",
			UserMention(n.From), what, d.Ref(), Escape(d.AccountName), UserMention(d.OwnerID))}
	}
	return Message{Text: fmt.Sprintf(":leftwards_arrow_with_hook: %s %s %s (%s); it went to %s (%s).",
		UserMention(n.From), what, d.Ref(), Escape(d.AccountName), UserMention(n.To), Escape(n.Reason))}
}

// WonAnnouncement is the celebration post for a closed-won deal; the time
// it was won counts the days in its cycle.
func WonAnnouncement(n sales.DealWon) Message {
	d := n.Deal
	what := "*" + Escape(d.AccountName) + "*"
	if d.Title != "" && d.Title != d.AccountName {
		what += " — " + Escape(d.Title)
	}
	fields := []*slack.TextBlockObject{
		Mrkdwn("*Amount*\n" + ValueText(d)),
		Mrkdwn("*Days in cycle*\n" + fmt.Sprint(pipeline.CycleDays(d, n.At))),
	}
	if d.Source != "" {
		fields = append(fields, Mrkdwn("*Source*\n"+Escape(OptionLabel(d.Source))))
	}
	open := slack.NewButtonBlockElement(ActOpen, fmt.Sprint(d.Number), Plain("Open "+d.Ref()))
	return Message{
		Text: fmt.Sprintf("%s closed %s for %s!", UserMention(d.OwnerID), Escape(d.AccountName), ValueText(d)),
		Blocks: []slack.Block{
			slack.NewSectionBlock(Mrkdwn(fmt.Sprintf(":tada: %s closed %s!", UserMention(d.OwnerID), what)), fields, nil),
			slack.NewActionBlock("won:"+fmt.Sprint(d.Number), open),
		},
	}
}

// BigDealAlert is the alerts-channel post for a stage move of a deal worth
// at least the workspace's big-deal threshold.
func BigDealAlert(n sales.BigDealMoved) Message {
	d := n.Deal
	move := Escape(fmt.Sprintf("%s → %s", n.From, n.To))
	return Message{
		Text: fmt.Sprintf("Big deal moved: %s %s (%s), %s", d.Ref(), Escape(d.AccountName), ValueText(d), move),
		Blocks: []slack.Block{
			slack.NewSectionBlock(Mrkdwn(fmt.Sprintf(":moneybag: *Big deal moved* by %s\n*%s* %s · %s\n%s",
				UserMention(n.By), d.Ref(), Escape(d.AccountName), ValueText(d), move)),
				nil, nil),
			slack.NewActionBlock("bigdeal:"+fmt.Sprint(d.Number),
				slack.NewButtonBlockElement(ActOpen, fmt.Sprint(d.Number), Plain("Open "+d.Ref()))),
		},
	}
}
