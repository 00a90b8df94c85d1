package render

import (
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// Another app's message (its author a bot ID, B…) names "an app", never a
// mention of the bot ID, which Slack would show broken.
func TestCaptureBotAuthorIsAnApp(t *testing.T) {
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	modal := string(messageText(t, "", CaptureModal("B0OTHER", "build passed", sales.DealSuggestions{}, false, "")))
	src := &pipeline.CapturedMessage{Channel: "C1", TS: "1773136800.000100", Author: "B0OTHER", At: at, Text: "build passed"}
	added := MessageAdded(sales.MessageAdded{Deal: pipeline.Deal{Number: 42, AccountName: "Acme"},
		Activity: pipeline.Activity{AuthorID: "U0REP1", Kind: pipeline.KindMessage, CreatedAt: at, Source: src}}, time.UTC)
	hist := History(sales.DealHistory{Deal: pipeline.Deal{Number: 42, AccountName: "Acme"}, Entries: []pipeline.HistoryEntry{
		{ActorID: "U0REP1", Action: "message", Field: "B0OTHER", NewValue: "build passed", CreatedAt: at}}}, time.UTC)
	for name, c := range map[string]struct{ got, want string }{
		"modal":   {modal, "Message from an app:"},
		"added":   {string(messageText(t, added.Text, added.Blocks)), "Added an app's message"},
		"history": {string(messageText(t, hist.Text, hist.Blocks)), "added an app's message"},
	} {
		if !strings.Contains(c.got, c.want) || strings.Contains(c.got, "<@B0OTHER>") || strings.Contains(c.got, "B0OTHER") {
			t.Errorf("%s: %s\nwant %q and no bot ID", name, c.got, c.want)
		}
	}
}
