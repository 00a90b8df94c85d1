package render

import (
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// InboundMessageMax is how much of a form's message a card or offer shows.
const InboundMessageMax = 500

// inboundBlock is what a lead from outside told about itself, for its card:
// the form's message, quoted, and where it came from. Everything in it was
// typed by someone outside: escaped and clipped.
func inboundBlock(in *pipeline.Inbound) slack.Block {
	var lines []string
	head := ":globe_with_meridians: *Inbound lead*"
	if in.UTMSource != "" {
		head += " from " + Escape(Clip(in.UTMSource, 80))
	}
	lines = append(lines, head)
	if in.Message != "" {
		lines = append(lines, "> "+strings.ReplaceAll(Escape(Clip(strings.TrimSpace(in.Message), InboundMessageMax)), "\n", "\n> "))
	}
	var tags []string
	for _, kv := range [][2]string{{"Source", in.UTMSource}, {"Medium", in.UTMMedium}, {"Campaign", in.UTMCampaign}} {
		if kv[1] != "" {
			tags = append(tags, kv[0]+": "+Escape(Clip(kv[1], 80)))
		}
	}
	if in.PageURL != "" {
		// As text, not a link: a page address a stranger sent is not ours to vouch for.
		tags = append(tags, "Page: `"+strings.ReplaceAll(Escape(Clip(in.PageURL, 200)), "`", "'")+"`")
	}
	if len(tags) > 0 {
		lines = append(lines, strings.Join(tags, " · "))
	}
	return slack.NewSectionBlock(Mrkdwn(strings.Join(lines, "\n")), nil, nil)
}

// routedInbound is the offer of a routed inbound lead: marked inbound, with
// the deadline its rep has to answer (shown in each reader's timezone, the
// workspace's in notifications).
func routedInbound(n sales.LeadRouted) Message {
	d := n.Deal
	loc := pipeline.Zone(n.Timezone)
	by := When(n.RespondBy, loc)
	src := ""
	if d.Inbound.UTMSource != "" {
		src = " from " + Escape(Clip(d.Inbound.UTMSource, 80))
	}
	return offer(d,
		fmt.Sprintf(":inbox_tray: *Inbound* lead *%s*%s routed to you (%s).\n:stopwatch: Answer by %s: accept it or log an activity, or it goes to the next rep.",
			d.Ref(), src, Escape(n.Reason), by),
		fmt.Sprintf("Inbound lead %s (%s)%s routed to you. Answer by %s.", d.Ref(), Escape(d.AccountName), src,
			whenFallback(n.RespondBy.In(loc))))
}

// reroutedMissed tells a manager that a rep let an inbound lead's response
// deadline pass, and where the lead went.
func reroutedMissed(n sales.LeadRerouted) Message {
	d := n.Deal
	head := fmt.Sprintf(":alarm_clock: %s did not answer inbound lead %s (%s) by its deadline, %s",
		UserMention(n.From), d.Ref(), Escape(d.AccountName), When(n.MissedBy, pipeline.Zone(n.Timezone)))
	if n.To == "" {
		return Message{Text: head + fmt.Sprintf(", and no other rep can take it now; it stays with %s.", UserMention(d.OwnerID))}
	}
	return Message{Text: head + fmt.Sprintf("; it went to %s (%s).", UserMention(n.To), Escape(n.Reason))}
}

// OfferLapsedNotice tells a rep that a lead they let lapse went to the next
// rep, so the offer still on their screen is not taken for theirs.
func OfferLapsedNotice(n sales.OfferLapsed) Message {
	d := n.Deal
	why := "it was not accepted within the handoff timeout"
	if !n.MissedBy.IsZero() {
		why = "its answer-by time, " + When(n.MissedBy, pipeline.Zone(n.Timezone)) + ", passed without an answer"
	}
	return Message{Text: fmt.Sprintf(":hourglass: Lead %s (%s) went to %s: %s. Its offer above is no longer yours to accept.",
		d.Ref(), Escape(d.AccountName), UserMention(n.To), why)}
}

// DuplicateLeadNotice tells a deal's owner that an inbound lead repeated
// their open deal and was logged on it.
func DuplicateLeadNotice(n sales.DuplicateLead) Message {
	d := n.Deal
	who := Escape(Clip(n.Company, 80))
	if n.Contact != "" {
		who += " (" + Escape(Clip(n.Contact, 120)) + ")"
	}
	head := fmt.Sprintf(":repeat: %s came in again through the web. It was logged on your open deal *%s* instead of a new lead.",
		who, d.Ref())
	in := n.Inbound
	blocks := []slack.Block{slack.NewSectionBlock(Mrkdwn(head), nil, nil), inboundBlock(&in)}
	d.Inbound = nil // the card after the new lead's words: not the first lead's too
	return Message{Text: fmt.Sprintf("%s came in again; logged on %s.", who, d.Ref()),
		Blocks: append(blocks, DealCard(Card{Deal: d})...)}
}

// SpeedText writes a speed-to-lead duration: "45s", "3m 20s", "2h 5m", "1d 4h".
func SpeedText(d time.Duration) string {
	d = d.Round(time.Second)
	switch {
	case d < time.Minute:
		return fmt.Sprintf("%ds", int(d.Seconds()))
	case d < time.Hour:
		return trimZero(fmt.Sprintf("%dm %ds", int(d.Minutes()), int(d.Seconds())%60))
	case d < 24*time.Hour:
		return trimZero(fmt.Sprintf("%dh %dm", int(d.Hours()), int(d.Minutes())%60))
	}
	return trimZero(fmt.Sprintf("%dd %dh", int(d.Hours())/24, int(d.Hours())%24))
}

func trimZero(s string) string {
	for _, z := range []string{" 0s", " 0m", " 0h"} {
		s = strings.TrimSuffix(s, z)
	}
	return s
}

// speedSection is speed to lead per rep, for /pipeline metrics and the
// digest: nil when no inbound lead was answered or missed.
func speedSection(speeds []pipeline.RepSpeed) []section {
	if len(speeds) == 0 {
		return nil
	}
	s := section{title: "Speed to lead (from offer to acceptance or first activity)"}
	for _, r := range speeds {
		line := "• " + UserMention(r.RepID) + " — "
		if r.Answered > 0 {
			line += fmt.Sprintf("median %s · p90 %s · %s", SpeedText(r.Median), SpeedText(r.P90), Plural(r.Answered, "lead"))
		} else {
			line += "no lead answered"
		}
		line += " · " + CountText(r.Missed, "1 SLA miss", "%d SLA misses")
		s.lines = append(s.lines, line)
	}
	return []section{s}
}

// The settings modal's speed-to-lead inputs.
const (
	InResponseSLA = "response_sla"
	InWorkHours   = "work_hours"
)

// speedSettingsBlocks are the response SLA and working hours inputs.
func speedSettingsBlocks(st pipeline.Settings) []slack.Block {
	return []slack.Block{
		Field(InResponseSLA, "Response SLA (working minutes)",
			fmt.Sprintf("How long a rep has to accept an inbound lead or log an activity on it before it goes to the next rep: 1 to %d.", pipeline.MaxResponseSLAMins),
			TextEl(InResponseSLA, "5", fmt.Sprint(st.ResponseSLA()), 4, false), false),
		Field(InWorkHours, "Working hours",
			"HH:MM-HH:MM in the workspace timezone, on working days. The response SLA and handoff timeouts count only these.",
			TextEl(InWorkHours, "09:00-17:00", strings.ReplaceAll(st.WorkHours().String(), "–", "-"), 11, false), false),
	}
}

// BadResponseSLA refuses a response SLA.
var BadResponseSLA = fmt.Sprintf("Type a whole number of working minutes from 1 to %d.", pipeline.MaxResponseSLAMins)
