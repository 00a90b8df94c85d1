package commands

import (
	"github.com/slack-go/slack"
)

// key identifies this slash command among every request of its workspace:
// Slack sends the same trigger_id on every delivery of one invocation, and a
// new one each time the command is typed again.
func (in SlashInput) key() string {
	if in.TriggerID == "" {
		return ""
	}
	return "slash:" + in.Command + ":" + in.TriggerID
}

// actionKey identifies one delivery of a button click: a redelivered envelope
// repeats the click's trigger_id, a second click gets a new one. A second
// click is therefore a new request, and what it may still change is the
// domain's to decide (a follow-up already done stays done, an offer already
// answered cannot be answered again).
func actionKey(cb slack.InteractionCallback) string {
	if cb.TriggerID == "" || len(cb.ActionCallback.BlockActions) == 0 {
		return ""
	}
	act := cb.ActionCallback.BlockActions[0]
	return "action:" + cb.TriggerID + ":" + act.ActionID + ":" + act.Value
}
