package render

import (
	"encoding/json"
	"regexp"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

var shortCode = regexp.MustCompile(`:[a-z0-9_+-]+:`)

// Emoji leave as Slack's short codes (":trophy:", never the character),
// and only where Slack draws them: in mrkdwn outside code blocks, or in
// plain text with emoji on.
func TestEmojiAreShortCodesWhereSlackDrawsThem(t *testing.T) {
	d := goldenDeal()
	won := d
	won.Stage = pipeline.StageWon
	closed := goldenNow
	won.ClosedAt = &closed
	week := pipeline.Period{From: goldenAt.AddDate(0, 0, -7), To: goldenAt}
	lb := sales.Leaderboard{Metrics: pipeline.Metrics{Period: week, Won: 1, WonAmount: goldenUSD(100),
		Leaderboard: []pipeline.RepTotal{{OwnerID: "U0REP1", Won: 1, Amount: goldenUSD(100)}}}, Period: week, Currency: "USD"}
	messages := map[string][]slack.Block{
		"card":        DealCard(Card{Deal: d, Stages: pipeline.DefaultStages(), Now: goldenNow, Buttons: true}),
		"won":         WonAnnouncement(sales.DealWon{Deal: won, Channel: "C0WINS", At: goldenNow}).Blocks,
		"digest":      DigestBlocks(reportDigest()),
		"leaderboard": LeaderboardReport(lb).Blocks(),
		"hint":        CelebrationHint(sales.CelebrationHint{To: "U0REP1", Deal: won, Admins: []string{"U0ADMIN"}}).Blocks,
		"keep":        {KeepFollowUpsBlock(42, sales.ClosedFollowUps{IDs: []int64{1}, At: goldenNow})},
		"confirm":     ConfirmClosedFollowUp(sales.ErrDealClosed{Number: 42, Stage: "Closed-won"}, goldenNow, "", goldenLoc).Blocks,
	}
	for name, blocks := range messages {
		b, err := json.Marshal(blocks)
		if err != nil {
			t.Fatal(err)
		}
		var v any
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatal(err)
		}
		walkText(v, func(typ, text string, emoji bool) {
			for _, r := range text {
				if r >= 0x1F300 && r <= 0x1FAFF || r >= 0x2600 && r <= 0x27BF {
					t.Errorf("%s: emoji character %q sent instead of its short code: %q", name, r, text)
				}
			}
			codes := shortCode.FindAllString(text, -1)
			if len(codes) == 0 {
				return
			}
			switch {
			case typ == slack.PlainTextType && !emoji:
				t.Errorf("%s: %v in plain text with emoji off, where Slack leaves it literal: %q", name, codes, text)
			case typ == slack.MarkdownType && inCodeBlock(text, codes):
				t.Errorf("%s: %v inside a code block, where Slack leaves it literal: %q", name, codes, text)
			}
		})
	}
}

// walkText calls f with every text object in v.
func walkText(v any, f func(typ, text string, emoji bool)) {
	switch v := v.(type) {
	case map[string]any:
		if typ, ok := v["type"].(string); ok && (typ == slack.PlainTextType || typ == slack.MarkdownType) {
			if text, ok := v["text"].(string); ok {
				emoji, _ := v["emoji"].(bool)
				f(typ, text, emoji)
				return
			}
		}
		for _, c := range v {
			walkText(c, f)
		}
	case []any:
		for _, c := range v {
			walkText(c, f)
		}
	}
}

func inCodeBlock(text string, codes []string) bool {
	parts := strings.Split(text, "```")
	for i := 1; i < len(parts); i += 2 {
		for _, c := range codes {
			if strings.Contains(parts[i], c) {
				return true
			}
		}
	}
	return false
}
