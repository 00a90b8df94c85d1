package render

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// go test ./render -update rewrites the golden files from what the code
// says now; review the diff before committing it. The flag is defined once
// for the package, whichever golden tests are compiled in.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files in testdata")
	}
}

func updating() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// reportGolden compares got with testdata/name, failing on any difference.
func reportGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updating() {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./render -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed; what a person reads is now:\n%s\n(go test ./render -update rewrites it, if the change is meant)", name, got)
	}
}

// reportJSON is v as indented JSON, one field a line and "<" as itself, for
// readable diffs.
func reportJSON(t *testing.T, v any) []byte {
	t.Helper()
	if raw, ok := v.(json.RawMessage); ok {
		v = nil
		if err := json.Unmarshal(raw, &v); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	enc := json.NewEncoder(&out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// goldenAt is the pinned "now" of the golden files: Wednesday Nov 25 2026, 08:30 UTC.
var goldenAt = time.Date(2026, 11, 25, 8, 30, 0, 0, time.UTC)

func goldenUSD(minor int64) pipeline.Money { return pipeline.Money{Minor: minor, Currency: "USD"} }

func goldenDate(y int, m time.Month, d int) *time.Time {
	t := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return &t
}

// reportDeals are deals with user text that must be escaped.
func reportDeals() (acme, globex, initech pipeline.Deal) {
	acme = pipeline.Deal{Number: 42, WorkspaceID: "T0GOLD", AccountName: "Acme <Corp> & Sons", Title: "Platform renewal",
		Value: goldenUSD(12_500_00), Recurring: true, OwnerID: "U0REP1", Stage: pipeline.StageProposal,
		ExpectedClose: goldenDate(2026, 11, 20), LastActivityAt: goldenAt.Add(-20 * 24 * time.Hour)}
	globex = pipeline.Deal{Number: 7, WorkspaceID: "T0GOLD", AccountName: "Globex", Title: "Globex",
		Value: goldenUSD(4_000_00), OwnerID: "U0REP2", Stage: pipeline.StageWon}
	initech = pipeline.Deal{Number: 9, WorkspaceID: "T0GOLD", AccountName: "Initech", Title: "Printers",
		OwnerID: "U0REP1", Stage: pipeline.StageLost, LostReason: "Chose *another* vendor"}
	return acme, globex, initech
}

func reportDigest() pipeline.Digest {
	acme, globex, initech := reportDeals()
	stages := pipeline.DefaultStages()
	rows, other := pipeline.ByStage(stages, []pipeline.StageSum{
		{Stage: "lead", Currency: "USD", Count: 3, AmountMinor: 9_000_00},
		{Stage: "proposal", Currency: "USD", Count: 1, AmountMinor: 12_500_00},
		{Stage: "lead", Currency: "EUR", Count: 1, AmountMinor: 5_00},
	}, "USD")
	day := pipeline.DayOf(goldenAt)
	return pipeline.Digest{
		Day: day.From, Covered: pipeline.DigestCovered(goldenAt, []int{1, 2, 3, 4, 5}, time.UTC), Currency: "USD", Stages: stages,
		NewLeads: []pipeline.Deal{acme}, NewCount: 3,
		Moves:      []pipeline.StageMove{{DealNumber: 42, AccountName: acme.AccountName, From: "lead", To: "proposal", ActorID: "U0REP1"}},
		MovesCount: 1, Won: []pipeline.Deal{globex}, Lost: []pipeline.Deal{initech},
		Pipeline: rows, PipelineOther: other,
		ForecastMonth:   pipeline.Forecast{Period: "this month", Weighted: goldenUSD(6_250_00), Commit: goldenUSD(4_000_00), BestCase: goldenUSD(16_500_00), Closed: goldenUSD(4_000_00), Deals: 1},
		ForecastQuarter: pipeline.Forecast{Period: "this quarter", Weighted: goldenUSD(9_000_00), Commit: goldenUSD(4_000_00), BestCase: goldenUSD(25_500_00), Closed: goldenUSD(4_000_00), Deals: 4},
		StaleCount:      2, OverdueCount: 1, ClosingThisMonth: []pipeline.Deal{acme},
		Speed: goldenSpeed(),
	}
}

// goldenSpeed is speed to lead of two reps: one quick, one who let a
// deadline pass and answered nothing.
func goldenSpeed() []pipeline.RepSpeed {
	return []pipeline.RepSpeed{
		{RepID: "U0REP1", Answered: 4, Median: 150 * time.Second, P90: 9*time.Minute + 30*time.Second, Missed: 1},
		{RepID: "U0REP2", Missed: 2},
	}
}

func TestGoldenDigest(t *testing.T) {
	d := reportDigest()
	reportGolden(t, "digest.blocks.golden", reportJSON(t, DigestBlocks(d)))
	reportGolden(t, "digest.text.golden", []byte(DigestText(d)))
	reportGolden(t, "digest.terminal.golden", []byte(DigestTerminalText(d)))
	d.Scope = "U0MGR"
	reportGolden(t, "digest_team.text.golden", []byte(DigestText(d)))
}

func TestGoldenMorningAlerts(t *testing.T) {
	acme, _, _ := reportDeals()
	quiet := acme
	quiet.Number, quiet.AccountName, quiet.Title, quiet.OwnerID = 51, "Umbrella", "Umbrella", "U0REP2"
	quiet.LastActivityAt = goldenAt.Add(-40 * 24 * time.Hour)
	text, blocks, ok := MorningAlerts(sales.AlertItems{
		Stale:     []sales.StaleDeal{{Deal: acme, StaleDays: 14}},
		Close:     []pipeline.Deal{acme},
		Escalated: []sales.StaleDeal{{Deal: quiet, StaleDays: 14, ManagerID: "U0MGR"}},
	}, goldenAt)
	if !ok {
		t.Fatal("nothing to say about three alerts")
	}
	reportGolden(t, "morning_alerts.text.golden", []byte(text+"\n"))
	reportGolden(t, "morning_alerts.blocks.golden", reportJSON(t, blocks))
	if _, _, ok := MorningAlerts(sales.AlertItems{}, goldenAt); ok {
		t.Error("a morning message with nothing in it")
	}
}

func TestGoldenFollowUpReminder(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	due := []sales.FollowUpDue{
		{FollowUp: pipeline.FollowUp{ID: 301, DealNumber: 42, OwnerID: "U0REP1", Kind: "followup", DueAt: goldenAt, Note: "Send the <quote> & terms"},
			AccountName: "Acme <Corp> & Sons", DealTitle: "Platform renewal"},
		{FollowUp: pipeline.FollowUp{ID: 302, DealNumber: 7, OwnerID: "U0REP1", Kind: "checkin", DueAt: goldenAt.Add(time.Hour)},
			AccountName: "Globex", DealTitle: "Globex"},
	}
	text, blocks := FollowUpReminder(due, berlin)
	reportGolden(t, "followup_reminder.text.golden", []byte(text+"\n"))
	reportGolden(t, "followup_reminder.blocks.golden", reportJSON(t, blocks))
	one, _ := FollowUpReminder(due[:1], berlin)
	reportGolden(t, "followup_reminder_one.text.golden", []byte(one+"\n"))
}

func TestGoldenLeaderboard(t *testing.T) {
	d := reportDigest()
	week := pipeline.Period{From: time.Date(2026, 11, 16, 0, 0, 0, 0, time.UTC), To: time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)}
	r := LeaderboardReport(sales.Leaderboard{
		Metrics: pipeline.Metrics{Period: week, Won: 4, WonAmount: goldenUSD(30_000_00), Leaderboard: []pipeline.RepTotal{
			{OwnerID: "U0REP2", Won: 2, Amount: goldenUSD(20_000_00)},
			{OwnerID: "U0REP1", Won: 1, Amount: goldenUSD(6_000_00)},
			{OwnerID: "U0REP3", Won: 1, Amount: goldenUSD(4_000_00)},
			{OwnerID: "U0REP4", Won: 0, Amount: goldenUSD(0)},
		}, Other: []pipeline.Money{{Minor: 1_000_00, Currency: "EUR"}}},
		Period: week, Currency: "USD", Rows: d.Pipeline, Other: d.PipelineOther,
	})
	reportGolden(t, "leaderboard.text.golden", []byte(r.Text()))
	reportGolden(t, "leaderboard.blocks.golden", reportJSON(t, r.Blocks()))
	empty := LeaderboardReport(sales.Leaderboard{Metrics: pipeline.Metrics{Period: week, WonAmount: goldenUSD(0)}, Period: week, Currency: "USD", Rows: d.Pipeline})
	reportGolden(t, "leaderboard_empty.text.golden", []byte(empty.Text()))
}

func TestGoldenMetrics(t *testing.T) {
	month := pipeline.MonthOf(goldenAt)
	r := MetricsReport(sales.MetricsView{Scope: pipeline.Scope{Name: pipeline.ScopeTeam, Owners: []string{"U0MGR", "U0REP1"}},
		Metrics: pipeline.Metrics{Period: month, Won: 3, Lost: 1, WonAmount: goldenUSD(22_500_00), WinRate: 0.75, HasClosed: true,
			AvgCycleDays: 23.25, AvgDealSize: goldenUSD(7_500_00), ACV: goldenUSD(12_500_00), ARR: goldenUSD(37_500_00),
			ChurnRate: 0.1, CustomersAtStart: 10, Churned: 1,
			Commission: map[string]pipeline.Money{"U0REP1": goldenUSD(1_250_00), "U0MGR": goldenUSD(500_00)},
			OtherARR:   []pipeline.Money{{Minor: 2_000_00, Currency: "GBP"}}},
		Speed: goldenSpeed(),
	})
	reportGolden(t, "metrics.text.golden", []byte(r.Text()))
	reportGolden(t, "metrics.blocks.golden", reportJSON(t, r.Blocks()))
	none := MetricsReport(sales.MetricsView{Scope: pipeline.Scope{Name: pipeline.ScopeMine},
		Metrics: pipeline.Metrics{Period: month, WonAmount: goldenUSD(0), AvgDealSize: goldenUSD(0), ACV: goldenUSD(0), ARR: goldenUSD(0)}})
	reportGolden(t, "metrics_empty.text.golden", []byte(none.Text()))
}
