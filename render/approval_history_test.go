package render

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// The history says who asked, approved, rejected or voided a discount,
// and when; the reasons people typed escaped.
func TestApprovalHistoryLines(t *testing.T) {
	at := time.Date(2026, 12, 1, 17, 30, 0, 0, time.UTC)
	e := func(step, actor, what string) pipeline.HistoryEntry {
		return pipeline.HistoryEntry{Action: "approval", Field: step, ActorID: actor, NewValue: what, CreatedAt: at}
	}
	msg := History(sales.DealHistory{Deal: pipeline.Deal{Number: 7, AccountName: "Acme"}, Entries: []pipeline.HistoryEntry{
		e("requested", "U0REP1", "20% off $12,500 = $10,000: 3-year <deal>"),
		e("rejected", "U0MGR", "20% off $12,500 = $10,000: too <thin>"),
		e("approved", "U0MGR", "15% off $12,500 = $10,625"),
		e("invalidated", "U0REP1", "15% off $12,500 = $10,625"),
		e("replaced", "U0REP1", "20% off $12,500 = $10,000"),
		e("closed", "U0REP2", "25% off $12,500 = $9,375"),
	}}, time.UTC)
	body := historyBody(t, msg)
	stamp := "<!date^1796146200^{date_short_pretty} at {time}|Tue Dec 1, 2026 at 5:30 PM UTC> · "
	for _, w := range []string{
		stamp + "<@U0REP1> asked for approval of “20% off $12,500 = $10,000: 3-year &lt;deal&gt;”",
		stamp + "<@U0MGR> rejected the discount “20% off $12,500 = $10,000: too &lt;thin&gt;”",
		stamp + "<@U0MGR> approved the discount “15% off $12,500 = $10,625”",
		stamp + "<@U0REP1> changed the amount or discount, voiding the approval of “15% off $12,500 = $10,625”",
		stamp + "<@U0REP1> asked again, replacing the request for “20% off $12,500 = $10,000”",
		stamp + "<@U0REP2> closed the deal, voiding the request for “25% off $12,500 = $9,375”",
	} {
		if !strings.Contains(body, w) {
			t.Errorf("history:\n%s\nwant a line with:\n%s", body, w)
		}
	}
}

// historyBody is the text of the history's entries section.
func historyBody(t *testing.T, m Message) string {
	t.Helper()
	raw, err := json.Marshal(m.Blocks)
	if err != nil {
		t.Fatal(err)
	}
	var blocks []struct {
		Text struct{ Text string }
	}
	if err := json.Unmarshal(raw, &blocks); err != nil || len(blocks) < 2 {
		t.Fatalf("history blocks %s: %v", raw, err)
	}
	return blocks[1].Text.Text
}
