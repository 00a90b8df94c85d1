package render

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// A busy day's digest stays inside Block Kit's limits, and its text and
// blocks say the same.
func TestDigestRenderingWithinSlackLimits(t *testing.T) {
	usd := func(v int64) pipeline.Money { return pipeline.Money{Minor: v, Currency: "USD"} }
	long := strings.Repeat("Very long <company> & name ", 20)
	deal := pipeline.Deal{Number: 9, AccountName: long, Title: long, Value: usd(123_456_78), OwnerID: "U1", Stage: pipeline.StageProposal, LostReason: long}
	var many []pipeline.Deal
	var moves []pipeline.StageMove
	for range 3 * pipeline.DigestListLimit {
		many = append(many, deal)
		moves = append(moves, pipeline.StageMove{DealNumber: 9, AccountName: long, From: "lead", To: "proposal", ActorID: "U1"})
	}
	stages := pipeline.DefaultStages()
	rows, _ := pipeline.ByStage(stages, []pipeline.StageSum{{Stage: "lead", Currency: "USD", Count: 3, AmountMinor: 9_000_00}}, "USD")
	d := pipeline.Digest{
		Day: time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC), Covered: pipeline.DayOf(time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)),
		Currency: "USD", Stages: stages, NewLeads: many[:pipeline.DigestListLimit], NewCount: 250, Moves: moves[:pipeline.DigestListLimit], MovesCount: 40,
		Won: many, Lost: many, Pipeline: rows, PipelineOther: []pipeline.Money{{Minor: 5_00, Currency: "EUR"}},
		ForecastMonth: pipeline.Forecast{Period: "this month", Weighted: usd(1)}, StaleCount: 3, OverdueCount: 1,
		ClosingThisMonth: many[:pipeline.ClosingTop], Scope: "UMGR",
	}
	blocks := DigestBlocks(d)
	if len(blocks) > 50 {
		t.Errorf("%d blocks, Slack allows 50", len(blocks))
	}
	var all strings.Builder
	for _, b := range blocks {
		if s, ok := b.(*slack.SectionBlock); ok {
			all.WriteString(s.Text.Text)
			if len(s.Text.Text) > 3000 {
				t.Errorf("a section of %d characters, Slack allows 3000", len(s.Text.Text))
			}
		}
	}
	if _, err := json.Marshal(blocks); err != nil {
		t.Fatal(err)
	}
	text := DigestText(d)
	// What a person reads is bounded; Slack's escapes (&lt; is one
	// character on screen) may take the text sent a little past that.
	if n := utf8.RuneCountInString(DigestTerminalText(d)); n > 8000 {
		t.Errorf("text of %d characters: too long for a notification", n)
	}
	if len(text) > 12000 {
		t.Errorf("text of %d bytes sent to Slack: too long for a notification", len(text))
	}
	for _, want := range []string{"250 new leads", "40 stage moves", "… and 240 more", "30 won ($3,703,703.40)", "… and 20 more lost", "3 stale deals", "€5", "<@UMGR>"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q", want)
		}
	}
	if !strings.Contains(all.String(), "&lt;company&gt; &amp; name") || strings.Contains(all.String(), "<company>") {
		t.Error("user text is not escaped in the blocks")
	}
	if !strings.Contains(text, "&lt;company&gt; &amp; name") || strings.Contains(text, "<company>") {
		t.Error("user text is not escaped in the message text")
	}
	if term := DigestTerminalText(d); !strings.Contains(term, "<company> & name") || strings.Contains(term, "&lt;") {
		t.Error("the terminal text shows Slack's escapes")
	}
}

// The summary names what it covers: the day before, or every day since the
// previous working day's digest.
func TestDigestCoveredTitle(t *testing.T) {
	weekdays := []int{1, 2, 3, 4, 5}
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC), "Yesterday (Tue Nov 24)"},
		{time.Date(2026, 11, 23, 8, 30, 0, 0, time.UTC), "Since Friday (Fri Nov 20)"},
	} {
		d := pipeline.Digest{Day: tc.day, Currency: "USD", Covered: pipeline.DigestCovered(tc.day, weekdays, time.UTC), NewCount: 3}
		text := DigestText(d)
		if !strings.Contains(text, tc.want) || !strings.Contains(text, "3 new leads") {
			t.Errorf("digest of %s lacks %q:\n%s", tc.day.Format("Mon Jan 2"), tc.want, text)
		}
		var blocks strings.Builder
		for _, b := range DigestBlocks(d) {
			if s, ok := b.(*slack.SectionBlock); ok && s.Text != nil {
				blocks.WriteString(s.Text.Text)
			}
		}
		if !strings.Contains(blocks.String(), tc.want) {
			t.Errorf("digest blocks of %s lack %q", tc.day.Format("Mon Jan 2"), tc.want)
		}
	}
}
