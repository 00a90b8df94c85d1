package render

import (
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// A deal moved back and forth hundreds of times, with long stage labels,
// gets a close summary within Slack's section limit: the first stages, how
// many more, and the last; the win and the outcome still said.
func TestRoomClosedSummaryOfManyMoves(t *testing.T) {
	at := time.Date(2026, 3, 10, 10, 0, 0, 0, time.UTC)
	long := strings.Repeat("Negotiation & legal review ", 3)
	stages := []pipeline.StageDef{{Key: pipeline.StageProposal, Label: "Proposal " + long}, {Key: pipeline.StageNegotiation, Label: "Negotiation " + long},
		{Key: pipeline.StageWon, Label: "Won"}}
	var steps []pipeline.StageStep
	from := pipeline.StageProposal
	for i := range 300 {
		to := pipeline.StageNegotiation
		if from == to {
			to = pipeline.StageProposal
		}
		steps = append(steps, pipeline.StageStep{From: from, To: to, At: at.Add(time.Duration(i) * time.Hour)})
		from = to
	}
	steps = append(steps, pipeline.StageStep{From: from, To: pipeline.StageWon, At: at.Add(400 * time.Hour)})
	d := pipeline.Deal{Number: 42, AccountName: "Acme", Value: pipeline.Money{Minor: 1_250_000, Currency: "USD"}, Stage: pipeline.StageWon, CreatedAt: at}
	m := RoomClosedNotice(sales.RoomClosed{Room: pipeline.Room{ChannelID: "C0ROOM"}, Deal: d, By: "U0REP1",
		Brief: pipeline.DealBrief{Steps: steps}, Stages: stages, Timezone: "UTC"})
	for i, b := range m.Blocks {
		if n := utf8.RuneCountInString(b.(*slack.SectionBlock).Text.Text); n > MaxSectionText {
			t.Errorf("section %d has %d characters", i, n)
		}
	}
	summary := m.Blocks[1].(*slack.SectionBlock).Text.Text
	for _, want := range []string{fmt.Sprintf("… %d more → Won", len(steps)+1-summaryStagesHead-1), "Outcome: won for", "Activities: 0"} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	if !strings.HasPrefix(m.Text, ":trophy: <@U0REP1> won *D-42*") {
		t.Errorf("the win's line: %.80q", m.Text)
	}
}
