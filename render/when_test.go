package render

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

func TestWhenIsSlacksDateTokenWithAZonedFallback(t *testing.T) {
	la, err := time.LoadLocation("America/Los_Angeles")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 4, 22, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		loc  *time.Location
		want string
	}{
		{la, "<!date^1796421600^{date_short_pretty} at {time}|Fri Dec 4, 2026 at 2:00 PM PST>"},
		{time.UTC, "<!date^1796421600^{date_short_pretty} at {time}|Fri Dec 4, 2026 at 10:00 PM UTC>"},
		{nil, "<!date^1796421600^{date_short_pretty} at {time}|Fri Dec 4, 2026 at 10:00 PM UTC>"},
	} {
		if got := When(at, c.loc); got != c.want {
			t.Errorf("When(%v, %v) = %q, want %q", at, c.loc, got, c.want)
		}
	}
	if got, want := WhenDay(at, la), "<!date^1796421600^{date_short_pretty}|Fri Dec 4, 2026>"; got != want {
		t.Errorf("WhenDay = %q, want %q", got, want)
	}
}

// History showed "2026-12-04T22:00:00Z" for a follow-up and its times in a
// code span, where Slack does not read date tokens.
func TestHistoryTimesAreDateTokens(t *testing.T) {
	la, _ := time.LoadLocation("America/Los_Angeles")
	created := time.Date(2026, 12, 1, 17, 30, 0, 0, time.UTC)
	msg := History(sales.DealHistory{
		Deal: pipeline.Deal{Number: 7, AccountName: "Acme"},
		Entries: []pipeline.HistoryEntry{
			{Action: "followup", Field: "followup", ActorID: "U1", NewValue: "2026-12-04T22:00:00Z call <back>", CreatedAt: created},
			{Action: "followup", Field: "snoozed_until", ActorID: "U1", OldValue: "2026-12-04T22:00:00Z", NewValue: "2026-12-05T17:00:00Z", CreatedAt: created},
		},
	}, la)
	raw, err := json.Marshal(msg.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []struct {
		Text struct{ Type, Text string }
	}
	if err := json.Unmarshal(raw, &blocks); err != nil {
		t.Fatal(err)
	}
	body := blocks[1].Text
	if body.Type != "mrkdwn" {
		t.Fatalf("history body is %s: Slack reads date tokens only in mrkdwn", body.Type)
	}
	want := []string{
		"<!date^1796146200^{date_short_pretty} at {time}|Tue Dec 1, 2026 at 9:30 AM PST> · <@U1> set a follow-up for <!date^1796421600^{date_short_pretty} at {time}|Fri Dec 4, 2026 at 2:00 PM PST> “call &lt;back&gt;”",
		"<@U1> snoozed the follow-up reminder from <!date^1796421600^{date_short_pretty} at {time}|Fri Dec 4, 2026 at 2:00 PM PST> to <!date^1796490000^{date_short_pretty} at {time}|Sat Dec 5, 2026 at 9:00 AM PST>",
	}
	for _, w := range want {
		if !strings.Contains(body.Text, w) {
			t.Errorf("history:\n%s\nwant a line with:\n%s", body.Text, w)
		}
	}
	if strings.Contains(body.Text, "2026-12-04T22:00:00Z") || strings.Contains(body.Text, "`") {
		t.Errorf("history still shows a raw stamp or a code span:\n%s", body.Text)
	}
}
