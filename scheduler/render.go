package scheduler

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// Action IDs of the buttons on the scheduler's messages. The deal buttons
// reuse the deal card's own (deal_note, deal_move, deal_lost, deal_edit), which open
// the same modals; the value of every button is a deal number or a
// follow-up ID.
const (
	actionDealNote = "deal_note"
	actionDealMove = "deal_move"
	actionDealLost = "deal_lost"
	actionDealEdit = "deal_edit"
)

// maxItems bounds the follow-ups listed in one message: two blocks each
// stays under Slack's 50 blocks.
const maxItems = 20

func plain(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.PlainTextType, s, false, false)
}

func mrkdwn(s string) *slack.TextBlockObject {
	return slack.NewTextBlockObject(slack.MarkdownType, s, false, false)
}

func button(action, value, label string) *slack.ButtonBlockElement {
	return slack.NewButtonBlockElement(action, value, plain(label))
}

// escape makes user text safe inside mrkdwn.
func escape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

func mention(userID string) string { return "<@" + userID + ">" }

// dealLine is "*D-42* Acme — Renewal".
func dealLine(d pipeline.Deal) string {
	s := fmt.Sprintf("*%s* %s", d.Ref(), escape(d.AccountName))
	if d.Title != "" && d.Title != d.AccountName {
		s += " — " + escape(d.Title)
	}
	return s
}

// moreLine says how many items did not fit.
func moreLine(n int, hint string) slack.Block {
	return slack.NewContextBlock("", mrkdwn(fmt.Sprintf("…and %d more. %s", n, hint)))
}

func blocksJSON(blocks []slack.Block) json.RawMessage {
	b, err := json.Marshal(blocks)
	if err != nil {
		panic(fmt.Sprintf("encode blocks: %v", err)) // built in code: a programming error
	}
	return b
}
