package render

import (
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// The Add to deal form, its answers and the history line of a captured
// message, as people see them; what the message said is escaped.
func TestCaptureGolden(t *testing.T) {
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	deal := func(n int64, account, title string) pipeline.Deal {
		return pipeline.Deal{Number: n, AccountName: account, Title: title, Stage: pipeline.StageProposal}
	}
	sg := sales.DealSuggestions{Matched: true, Deals: []sales.DealSuggestion{
		{Deal: deal(7, "Globex", "Rollout"), Why: sales.SuggestRoom},
		{Deal: deal(42, "Acme & Co", "Acme & Co"), Why: sales.SuggestMention},
		{Deal: deal(9, "Initech", "A very long deal title that goes on and on past what a menu option can show"), Why: sales.SuggestRecent},
	}}
	text := "Hi <!channel> & all,\nwe want 3 seats"
	golden(t, "capture_modal", messageText(t, "", CaptureModal("U0CUST", text, sg, false, `{"ch":"C1"}`)))
	golden(t, "capture_modal_nothing", messageText(t, "", CaptureModal("U0CUST", "", sales.DealSuggestions{}, false, "")))

	src := &pipeline.CapturedMessage{Channel: "C1", TS: "1773136800.000100", Author: "U0CUST", At: at, Text: text,
		Permalink: "https://acme.slack.com/archives/C1/p1773136800000100?a=1&b=2"}
	added := sales.MessageAdded{Deal: deal(42, "Acme & Co", "Renewal"),
		Activity: pipeline.Activity{AuthorID: "U0REP1", Kind: pipeline.KindMessage, Body: text, CreatedAt: at, Source: src}}
	m := MessageAdded(added, time.UTC)
	golden(t, "capture_added", messageText(t, m.Text, m.Blocks))
	added.Already = true
	m = MessageAdded(added, time.UTC)
	golden(t, "capture_already", messageText(t, m.Text, m.Blocks))

	h := History(sales.DealHistory{Deal: added.Deal, Entries: []pipeline.HistoryEntry{
		{ActorID: "U0REP1", Action: "message", Field: "U0CUST", OldValue: src.Permalink, NewValue: text, CreatedAt: at},
		{ActorID: "U0REP1", Action: "message", Field: "U0CUST", OldValue: "javascript:alert(1)|x>", NewValue: "no link", CreatedAt: at},
	}}, time.UTC)
	golden(t, "capture_history", messageText(t, h.Text, h.Blocks))
}
