package render

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/sales"
)

// The score's note follows the stage, and the number shows once per card.
func TestScoreNoteFollowsStage(t *testing.T) {
	for _, c := range []struct {
		stage   pipeline.Stage
		wantNot bool
	}{
		{pipeline.StageLead, true}, {pipeline.StageQualified, true},
		{pipeline.StageProposal, false}, {pipeline.StageWon, false},
	} {
		d := goldenDeal()
		d.Stage, d.Score, d.ScoreReasons = c.stage, 13, []string{pipeline.ScoreNotQualified, "+5 value estimated"}
		out := cardJSON(t, d)
		if got := strings.Contains(out, "not qualified yet"); got != c.wantNot {
			t.Errorf("%s card: shows %q = %v, want %v:\n%s", c.stage, "not qualified yet", got, c.wantNot, out)
		}
		if n := strings.Count(out, "13/100"); n != 1 {
			t.Errorf("%s card shows the score %d times, want once:\n%s", c.stage, n, out)
		}
		if !strings.Contains(out, "+5 value estimated") {
			t.Errorf("%s card lost the score's other reasons:\n%s", c.stage, out)
		}
	}
	// Nothing left to say: no empty line under the fields.
	d := goldenDeal()
	d.Stage, d.Score, d.ScoreReasons = pipeline.StageWon, 5, []string{pipeline.ScoreNotQualified}
	if out := cardJSON(t, d); strings.Contains(out, "Why the score") {
		t.Errorf("won card with only the lead's note shows an empty why:\n%s", out)
	}
}

func cardJSON(t *testing.T, d pipeline.Deal) string {
	t.Helper()
	b, err := json.Marshal(DealCard(Card{Deal: d, Stages: pipeline.DefaultStages(), Now: goldenNow}))
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestForecastCountWords(t *testing.T) {
	for n, want := range map[int]string{
		0: "No open deal is expected to close in this period. A deal without a close date counts in no forecast.",
		1: "1 open deal expected to close in this period. A deal without a close date counts in no forecast.",
		3: "3 open deals expected to close in this period.",
	} {
		v := sales.ForecastView{Month: pipeline.Forecast{Deals: n, Closed: goldenUSD(0), Commit: goldenUSD(0), Weighted: goldenUSD(0), BestCase: goldenUSD(0)}}
		got := ForecastReport(v, false, "").Text()
		if !strings.Contains(got, want) {
			t.Errorf("forecast with %d deals:\n%s\nwant it to say %q", n, got, want)
		}
		if strings.Contains(got, "close, without") {
			t.Errorf("forecast keeps the run-on sentence:\n%s", got)
		}
	}
}

func TestAverageDealSizeWithNothingWon(t *testing.T) {
	r := MetricsReport(sales.MetricsView{Scope: pipeline.Scope{Name: pipeline.ScopeMine},
		Metrics: pipeline.Metrics{Period: pipeline.MonthOf(goldenAt), WonAmount: goldenUSD(0), AvgDealSize: goldenUSD(0)}}).Text()
	if !strings.Contains(r, "Average deal size: —") || strings.Contains(r, "Average deal size: $0") {
		t.Errorf("metrics with nothing won:\n%s\nwant Average deal size: —", r)
	}
}

// Slack draws a short code in mrkdwn; in a header's plain text (emoji off)
// it stays ":trophy:".
func TestTrophyIsAShortCodeInMrkdwn(t *testing.T) {
	week := pipeline.Period{From: goldenAt.AddDate(0, 0, -7), To: goldenAt}
	lb := LeaderboardReport(sales.Leaderboard{Metrics: pipeline.Metrics{Period: week, WonAmount: goldenUSD(0)}, Period: week, Currency: "USD"})
	for name, blocks := range map[string][]slack.Block{"leaderboard": lb.Blocks(), "digest": DigestBlocks(reportDigest())} {
		found := false
		for _, b := range blocks {
			switch b := b.(type) {
			case *slack.HeaderBlock:
				if strings.Contains(b.Text.Text, ":trophy:") && (b.Text.Emoji == nil || !*b.Text.Emoji) {
					t.Errorf("%s: :trophy: in a plain-text header, which Slack leaves literal", name)
				}
			case *slack.SectionBlock:
				if b.Text != nil && b.Text.Type == slack.MarkdownType && strings.Contains(b.Text.Text, ":trophy:") {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no :trophy: short code in a mrkdwn section", name)
		}
	}
}

// A select's placeholder says something its label does not.
func TestSelectPlaceholdersDoNotRepeatLabels(t *testing.T) {
	d := goldenDeal()
	views := map[string]slack.ModalViewRequest{
		"lead":     LeadModal("Acme", "USD", ""),
		"move":     MoveModal(d, pipeline.DefaultStages(), ""),
		"note":     NoteModal(d, sales.ActivityKinds, ""),
		"qualify":  QualifyModal(d, nil, ""),
		"settings": SettingsModal(pipeline.Settings{Currency: "USD", Timezone: "UTC"}, pipeline.DefaultStages()),
	}
	for name, v := range views {
		for _, b := range v.Blocks.BlockSet {
			in, ok := b.(*slack.InputBlock)
			if !ok || in.Label == nil {
				continue
			}
			sel, ok := in.Element.(*slack.SelectBlockElement)
			if !ok || sel.Placeholder == nil {
				continue
			}
			label, ph := strings.ToLower(in.Label.Text), strings.ToLower(strings.TrimSuffix(sel.Placeholder.Text, "…"))
			if label == ph || strings.HasPrefix(ph, label) {
				t.Errorf("%s modal: select %q has the placeholder %q, which repeats it", name, in.Label.Text, sel.Placeholder.Text)
			}
		}
	}
}

func TestAdminOnlyNamesTheAdmins(t *testing.T) {
	e := pipeline.AdminOnlyError{What: "change settings"}
	if got, want := AdminOnly(e, []string{"U01ALEX", "U02BEA"}), ":no_entry: Only admins (<@U01ALEX>, <@U02BEA>) can change settings: ask one of them."; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
	if got, want := AdminOnly(e, nil), ":no_entry: Only an admin can change settings."; got != want {
		t.Errorf("no admins: got %q, want %q", got, want)
	}
}

func TestCelebrationHintSaysWhoCanSetIt(t *testing.T) {
	d := goldenDeal()
	toRep := CelebrationHint(sales.CelebrationHint{To: "U0REP1", Deal: d, Admins: []string{"U0ADMIN"}}).Text
	toAdmin := CelebrationHint(sales.CelebrationHint{To: "U0ADMIN", Deal: d, Admins: []string{"U0ADMIN"}}).Text
	for _, want := range []string{"D-42 · Acme &lt;b&gt;", "is won", "no celebration channel is set", "Admins (<@U0ADMIN>) can set one", "`/salesbot settings`"} {
		if !strings.Contains(toRep, want) {
			t.Errorf("hint to the winner lacks %q: %s", want, toRep)
		}
	}
	if !strings.Contains(toAdmin, "You can set one") {
		t.Errorf("hint to an admin: %s", toAdmin)
	}
}

func TestKeepButtonRoundTrips(t *testing.T) {
	c := sales.ClosedFollowUps{IDs: []int64{3, 14}, At: goldenNow.Add(123456 * time.Microsecond)}
	n, got, err := DecodeClosedFollowUps(EncodeClosedFollowUps(42, c))
	if err != nil || n != 42 || !got.At.Equal(c.At) || len(got.IDs) != 2 || got.IDs[1] != 14 {
		t.Errorf("decoded %d %+v %v; want 42 %+v", n, got, err, c)
	}
	due := goldenNow.Add(time.Hour)
	n, gotDue, note, err := DecodeFollowUpConfirm(EncodeFollowUpConfirm(42, due, "call | back"))
	if err != nil || n != 42 || !gotDue.Equal(due) || note != "call | back" {
		t.Errorf("confirm decoded %d %v %q %v", n, gotDue, note, err)
	}
}
