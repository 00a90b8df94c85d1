package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// ActMentionShare is the "Share in channel" button of a mention's card. Its
// value is ShareValue's: the deal number and the ts of the message that
// mentioned it, so that every click on one card shares it once.
const ActMentionShare = "mention_share"

// ShareValue is the value of a mention card's Share button.
func ShareValue(n int64, messageTS string) string {
	return strconv.FormatInt(n, 10) + ":" + messageTS
}

// ParseShareValue reads ShareValue's value back; false when it is not one.
func ParseShareValue(v string) (n int64, messageTS string, ok bool) {
	n, messageTS, _, ok = ParseShareThreadValue(v)
	return n, messageTS, ok
}

// ShareThreadValue is ShareValue for a message in a thread (threadTS its
// parent's ts, "" at the top of the channel), so the deal is shared in the
// thread the mention was made in.
func ShareThreadValue(n int64, messageTS, threadTS string) string {
	if threadTS == "" {
		return ShareValue(n, messageTS)
	}
	return ShareValue(n, messageTS) + ":" + threadTS
}

// ParseShareThreadValue reads ShareThreadValue's value back; false when it
// is not one.
func ParseShareThreadValue(v string) (n int64, messageTS, threadTS string, ok bool) {
	num, rest, found := strings.Cut(v, ":")
	n, err := strconv.ParseInt(num, 10, 64)
	ts, threadTS, _ := strings.Cut(rest, ":")
	if !found || err != nil || n <= 0 || ts == "" {
		return 0, "", "", false
	}
	return n, ts, threadTS, true
}

// MentionCard answers a message that mentions a deal the writer may see:
// the deal in one line with a button to share it, for the writer only.
func MentionCard(d pipeline.Deal, stages []pipeline.StageDef, messageTS string) Message {
	return MentionCardIn(d, stages, messageTS, "")
}

// MentionCardIn is MentionCard for a message in thread threadTS ("" at the
// top of the channel): its Share button shares in that thread.
func MentionCardIn(d pipeline.Deal, stages []pipeline.StageDef, messageTS, threadTS string) Message {
	share := slack.NewButtonBlockElement(ActMentionShare, ShareThreadValue(d.Number, messageTS, threadTS), Plain("Share in channel"))
	return Message{Text: "You mentioned " + d.Ref(), Blocks: []slack.Block{
		slack.NewSectionBlock(Mrkdwn(DealLine(d, stages)), nil, slack.NewAccessory(share)),
		slack.NewContextBlock("", Mrkdwn("Only you can see this. `/deal "+d.Ref()+"` opens the full card.")),
	}}
}

// SharedCard is a deal's line posted in the channel for everyone, saying
// who shared it.
func SharedCard(d pipeline.Deal, stages []pipeline.StageDef, sharer string) Message {
	return Message{Text: fmt.Sprintf("%s shared by %s", d.Ref(), UserMention(sharer)), Blocks: []slack.Block{
		slack.NewSectionBlock(Mrkdwn(DealLine(d, stages)), nil, nil),
		slack.NewContextBlock("", Mrkdwn("Shared by "+UserMention(sharer))),
	}}
}

// MentionShared replaces the writer's card once they shared it.
func MentionShared(d pipeline.Deal) string {
	return fmt.Sprintf(":white_check_mark: You shared %s in this channel.", d.Ref())
}

// ShareRefused tells who clicked Share in channel that Slack refused the
// post, with Slack's reason (an error code such as not_in_channel).
func ShareRefused(code string) string {
	why := "Slack refused it (" + Escape(code) + ")"
	switch code {
	case "not_in_channel", "channel_not_found":
		why = "salesbot is not in this channel: invite it with `/invite @salesbot` and try again"
	case "is_archived":
		why = "this channel is archived"
	}
	return ":warning: The deal was not shared: " + why + "."
}

// MentionsUsage answers /salesbot mentions with words it does not know.
const MentionsUsage = "Usage: `/salesbot mentions on` or `off` in the channel (admins); `/salesbot mentions` says whether they are on here."

// MentionsNotInChannel answers /salesbot mentions typed in a direct message.
const MentionsNotInChannel = ":warning: Deal mentions are set per channel: type `/salesbot mentions on` in the channel itself."

// MentionsStatus says whether deal mentions are on in the channel and who
// last changed that, when someone did.
func MentionsStatus(cs pipeline.ChannelSettings, loc *time.Location) string {
	state := "off"
	if cs.Mentions {
		state = "on"
	}
	s := fmt.Sprintf("Deal mentions are *%s* in this channel", state)
	if cs.ChangedBy != "" {
		s += fmt.Sprintf(" (set by %s, %s)", UserMention(cs.ChangedBy), When(cs.ChangedAt, loc))
	}
	s += "."
	if cs.Mentions {
		return s + " Someone who types D-42 here sees that deal's card, if they may; no one else does unless they share it."
	}
	return s + " An admin turns them on with `/salesbot mentions on`."
}

// MentionsTurned answers the admin who turned deal mentions on or off;
// botAbsent says salesbot is not in the channel, so it hears nothing there.
func MentionsTurned(on, botAbsent bool) string {
	if !on {
		return ":white_check_mark: Deal mentions are off in this channel."
	}
	s := ":white_check_mark: Deal mentions are on in this channel: whoever types D-42 here gets that deal's card, shown to them only, if they may see the deal."
	if botAbsent {
		s += "\n:warning: salesbot is not in this channel, so it sees no messages here: invite it with `/invite @salesbot`."
	}
	return s
}
