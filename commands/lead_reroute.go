package commands

import (
	"fmt"

	"salesbot/outbox"
	"salesbot/render"
	"salesbot/sales"
)

// reroutedNotice is the DM that tells a manager where a lead went after a
// rep rejected it or let it lapse, or that no one could take it.
func reroutedNotice(n sales.LeadRerouted) outbox.Message {
	d, what := n.Deal, "rejected it"
	if n.Lapsed {
		what = "did not answer in time"
	}
	text := fmt.Sprintf(":leftwards_arrow_with_hook: %s %s %s (%s); it went to %s (%s).",
		render.UserMention(n.From), what, d.Ref(), render.Escape(d.AccountName), render.UserMention(n.To), render.Escape(n.Reason))
	if n.To == "" {
		text = fmt.Sprintf(":warning: %s %s %s (%s), and no other rep can take it now; it stays with %s.",
			render.UserMention(n.From), what, d.Ref(), render.Escape(d.AccountName), render.UserMention(d.OwnerID))
	}
	return outbox.Message{TeamID: d.WorkspaceID, Channel: n.Manager, Kind: "handoff_rerouted", Text: text}
}
