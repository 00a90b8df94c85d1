package render

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Buttons of the answers about closed deals' follow-ups.
const (
	ActKeepFollowUps   = "deal_keep_followups"
	ActFollowupConfirm = "deal_followup_confirm"
	ActFollowupCancel  = "deal_followup_cancel"
)

// maxKeptIDs bounds the follow-ups a Keep button carries, well within a
// button value's 2000 characters.
const maxKeptIDs = 100

// FollowUpsClosed is the closing answer's sentence about the follow-ups the
// close finished, "" when there were none.
func FollowUpsClosed(c sales.ClosedFollowUps) string {
	switch n := len(c.IDs); n {
	case 0:
		return ""
	case 1:
		return "Its open follow-up is closed with it."
	default:
		return fmt.Sprintf("Its %d open follow-ups are closed with it.", n)
	}
}

// KeepFollowUpsBlock is the closing answer's button that reopens the
// follow-ups the close finished; nil when there were none.
func KeepFollowUpsBlock(n int64, c sales.ClosedFollowUps) slack.Block {
	if len(c.IDs) == 0 {
		return nil
	}
	label := "Keep it open"
	if len(c.IDs) > 1 {
		label = "Keep them open"
	}
	b := slack.NewButtonBlockElement(ActKeepFollowUps, EncodeClosedFollowUps(n, c), Plain(label))
	return slack.NewActionBlock("keep_followups:"+strconv.FormatInt(n, 10), b)
}

// EncodeClosedFollowUps is the Keep button's value: the deal, the close's
// time and the follow-ups' IDs.
func EncodeClosedFollowUps(n int64, c sales.ClosedFollowUps) string {
	ids := c.IDs
	if len(ids) > maxKeptIDs {
		ids = ids[:maxKeptIDs]
	}
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = strconv.FormatInt(id, 10)
	}
	return fmt.Sprintf("%d:%d:%s", n, c.At.UnixMicro(), strings.Join(parts, ","))
}

// DecodeClosedFollowUps reads a Keep button's value back.
func DecodeClosedFollowUps(v string) (int64, sales.ClosedFollowUps, error) {
	bad := fmt.Errorf("keep button value %q is not <deal>:<time>:<ids>", Clip(v, 60))
	f := strings.SplitN(v, ":", 3)
	if len(f) != 3 {
		return 0, sales.ClosedFollowUps{}, bad
	}
	n, err1 := strconv.ParseInt(f[0], 10, 64)
	at, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return 0, sales.ClosedFollowUps{}, bad
	}
	c := sales.ClosedFollowUps{At: time.UnixMicro(at).UTC()}
	for _, s := range strings.Split(f[2], ",") {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, sales.ClosedFollowUps{}, bad
		}
		c.IDs = append(c.IDs, id)
	}
	return n, c, nil
}

// FollowUpsKept answers the Keep button.
func FollowUpsKept(res sales.FollowUpsKept) string {
	if res.Kept == 0 {
		return fmt.Sprintf("The follow-ups on %s are open already, or were done since: nothing changed.", res.Deal.Ref())
	}
	return fmt.Sprintf(":alarm_clock: %s on %s kept: open again.", Capitalize(Plural(res.Kept, "follow-up")), res.Deal.Ref())
}

// ConfirmClosedFollowUp asks before a follow-up on a closed deal: its
// buttons carry the follow-up to schedule.
func ConfirmClosedFollowUp(e sales.ErrDealClosed, due time.Time, note string, loc *time.Location) Message {
	text := fmt.Sprintf(":warning: %s is %s. Set a follow-up for %s anyway?", pipeline.FormatRef(e.Number), Escape(e.Stage), When(due, loc))
	yes := slack.NewButtonBlockElement(ActFollowupConfirm, EncodeFollowUpConfirm(e.Number, due, note), Plain("Set it anyway"))
	yes.Style = slack.StylePrimary
	no := slack.NewButtonBlockElement(ActFollowupCancel, strconv.FormatInt(e.Number, 10), Plain("Cancel"))
	return Message{Text: text, Blocks: []slack.Block{
		slack.NewSectionBlock(Mrkdwn(text), nil, nil),
		slack.NewActionBlock("confirm_followup:"+strconv.FormatInt(e.Number, 10), yes, no),
	}}
}

// EncodeFollowUpConfirm is the confirm button's value: the deal, the due
// time and the note (at most 400 characters, so within Slack's 2000).
func EncodeFollowUpConfirm(n int64, due time.Time, note string) string {
	return fmt.Sprintf("%d|%d|%s", n, due.Unix(), note)
}

// DecodeFollowUpConfirm reads a confirm button's value back.
func DecodeFollowUpConfirm(v string) (n int64, due time.Time, note string, err error) {
	f := strings.SplitN(v, "|", 3)
	if len(f) != 3 {
		return 0, time.Time{}, "", fmt.Errorf("confirm button value is not deal|time|note")
	}
	n, err1 := strconv.ParseInt(f[0], 10, 64)
	unix, err2 := strconv.ParseInt(f[1], 10, 64)
	if err1 != nil || err2 != nil || n <= 0 {
		return 0, time.Time{}, "", fmt.Errorf("confirm button value is not deal|time|note")
	}
	return n, time.Unix(unix, 0).UTC(), f[2], nil
}

// FollowUpCancelled answers Cancel.
func FollowUpCancelled(n int64) string {
	return fmt.Sprintf("No follow-up set on %s.", pipeline.FormatRef(n))
}

// CelebrationHint tells the winner or an admin that a won deal was
// announced nowhere, and who can set the channel.
func CelebrationHint(n sales.CelebrationHint) Message {
	how := "`/salesbot settings` → *Celebration channel*"
	var who string
	switch {
	case contains(n.Admins, n.To):
		who = "You can set one: " + how + "."
	case len(n.Admins) > 0:
		who = fmt.Sprintf("Admins (%s) can set one: %s.", Mentions(n.Admins), how)
	default:
		who = "An admin can set one: " + how + "."
	}
	text := fmt.Sprintf(":bulb: %s · %s is won, but it was announced nowhere: no celebration channel is set. %s This tip comes once.",
		n.Deal.Ref(), Escape(n.Deal.AccountName), who)
	return Message{Text: text, Blocks: []slack.Block{slack.NewSectionBlock(Mrkdwn(text), nil, nil)}}
}

// Mentions are people as Slack mentions, comma-separated.
func Mentions(ids []string) string {
	m := make([]string, len(ids))
	for i, id := range ids {
		m[i] = UserMention(id)
	}
	return strings.Join(m, ", ")
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// AdminOnly refuses a request only an admin may make, naming the admins.
func AdminOnly(e pipeline.AdminOnlyError, admins []string) string {
	if len(admins) == 0 {
		return fmt.Sprintf(":no_entry: Only an admin can %s.", e.Doing())
	}
	return fmt.Sprintf(":no_entry: Only admins (%s) can %s: ask one of them.", Mentions(admins), e.Doing())
}
