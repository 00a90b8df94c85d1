package pipeline

import (
	"math"
	"reflect"
	"testing"
)

func usd(minor int64) Money { return Money{Minor: minor, Currency: "USD"} }

func TestWeight(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		amount  int64
		percent int
		want    int64
	}{
		{1_000_00, 25, 250_00},
		{1, 50, 1},   // 0.5 rounds half up
		{1, 49, 0},   // 0.49 rounds down
		{199, 5, 10}, // 9.95 → 10
		{math.MaxInt64 / 2, 75, math.MaxInt64 / 2 / 100 * 75}, // near the top: no overflow
	} {
		got := Weight(tt.amount, tt.percent)
		if tt.amount == math.MaxInt64/2 {
			// amount%100 × 75 adds at most 74.
			if got < tt.want || got > tt.want+75 {
				t.Errorf("Weight(%d, %d) = %d, want about %d", tt.amount, tt.percent, got, tt.want)
			}
			continue
		}
		if got != tt.want {
			t.Errorf("Weight(%d, %d) = %d, want %d", tt.amount, tt.percent, got, tt.want)
		}
	}
}

func TestByStage(t *testing.T) {
	t.Parallel()
	stages := DefaultStages()
	sums := []StageSum{
		{Stage: StageLead, Currency: "USD", Count: 2, AmountMinor: 30_000_00},
		{Stage: StageProposal, Currency: "USD", Count: 1, AmountMinor: 10_000_00},
		{Stage: StageProposal, Currency: "EUR", Count: 1, AmountMinor: 5_000_00},
		{Stage: StageNegotiation, Currency: "USD", Count: 1, AmountMinor: 8_000_00},
	}
	rows, other := ByStage(stages, sums, "USD")
	if len(rows) != 5 {
		t.Fatalf("%d rows, want the 5 open stages (empty ones too)", len(rows))
	}
	// By hand: lead 30,000 × 5% = 1,500; proposal 10,000 × 50% = 5,000;
	// negotiation 8,000 × 75% = 6,000. The EUR deal is not added to USD.
	want := map[Stage]StageTotal{
		StageLead:            {Stage: StageLead, Label: "Lead", Count: 2, Amount: usd(30_000_00), Weighted: usd(1_500_00)},
		StageQualified:       {Stage: StageQualified, Label: "Qualified", Amount: usd(0), Weighted: usd(0)},
		StageNeedsAssessment: {Stage: StageNeedsAssessment, Label: "Needs assessment", Amount: usd(0), Weighted: usd(0)},
		StageProposal:        {Stage: StageProposal, Label: "Proposal & quote", Count: 1, Amount: usd(10_000_00), Weighted: usd(5_000_00)},
		StageNegotiation:     {Stage: StageNegotiation, Label: "Negotiation", Count: 1, Amount: usd(8_000_00), Weighted: usd(6_000_00)},
	}
	for i, r := range rows {
		if r != want[r.Stage] {
			t.Errorf("row %d = %+v, want %+v", i, r, want[r.Stage])
		}
	}
	if rows[0].Stage != StageLead || rows[4].Stage != StageNegotiation {
		t.Errorf("rows not in pipeline order: %v … %v", rows[0].Stage, rows[4].Stage)
	}
	total := Sum(rows, "USD")
	if total.Count != 4 || total.Amount != usd(48_000_00) || total.Weighted != usd(12_500_00) {
		t.Errorf("total = %+v, want 4 deals, $48,000, weighted $12,500", total)
	}
	if !reflect.DeepEqual(other, []Money{{Minor: 5_000_00, Currency: "EUR"}}) {
		t.Errorf("other currencies = %v, want €5,000 apart", other)
	}
}

func TestForecast(t *testing.T) {
	t.Parallel()
	stages := DefaultStages()
	tests := []struct {
		name      string
		open, won []StageSum
		want      Forecast
	}{
		{
			name: "nothing",
			want: Forecast{Period: "p", Weighted: usd(0), BestCase: usd(0), Commit: usd(0), Closed: usd(0)},
		},
		{
			// Closed 20,000. Open: qualified 40,000 (10%), proposal 10,000
			// (50%), negotiation 6,000 (75%).
			// Weighted = 20,000 + 4,000 + 5,000 + 4,500 = 33,500.
			// Commit = 20,000 + 10,000 + 6,000 = 36,000 (proposal and up).
			// Best case = 20,000 + 56,000 = 76,000.
			name: "mixed stages",
			open: []StageSum{
				{Stage: StageQualified, Currency: "USD", Count: 2, AmountMinor: 40_000_00},
				{Stage: StageProposal, Currency: "USD", Count: 1, AmountMinor: 10_000_00},
				{Stage: StageNegotiation, Currency: "USD", Count: 1, AmountMinor: 6_000_00},
			},
			won:  []StageSum{{Stage: StageWon, Currency: "USD", Count: 2, AmountMinor: 20_000_00}},
			want: Forecast{Period: "p", Weighted: usd(33_500_00), Commit: usd(36_000_00), BestCase: usd(76_000_00), Closed: usd(20_000_00), Deals: 4},
		},
		{
			name: "two currencies",
			open: []StageSum{
				{Stage: StageLead, Currency: "USD", Count: 1, AmountMinor: 1_000_00},
				{Stage: StageLead, Currency: "GBP", Count: 1, AmountMinor: 9_000_00},
			},
			won: []StageSum{{Stage: StageWon, Currency: "GBP", Count: 1, AmountMinor: 500_00}},
			// Lead is 5%: 1,000 × 5% = 50. GBP is listed apart: 9,000 open + 500 won.
			want: Forecast{Period: "p", Weighted: usd(50_00), Commit: usd(0), BestCase: usd(1_000_00), Closed: usd(0), Deals: 1,
				Other: []Money{{Minor: 9_500_00, Currency: "GBP"}}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := ForecastFrom("p", stages, tt.open, tt.won, "USD")
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("forecast = %+v\nwant       %+v", got, tt.want)
			}
		})
	}
}

func TestComputeMetrics(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   MetricsInput
		want func(t *testing.T, m Metrics)
	}{
		{
			name: "no closed deals",
			in:   MetricsInput{Currency: "USD", DefaultBps: 1000},
			want: func(t *testing.T, m Metrics) {
				if m.HasClosed || m.WinRate != 0 || m.AvgCycleDays != 0 || m.AvgDealSize != usd(0) || m.ACV != usd(0) ||
					len(m.Leaderboard) != 0 || len(m.Commission) != 0 || m.ChurnRate != 0 {
					t.Errorf("metrics with nothing closed = %+v, want zeros", m)
				}
			},
		},
		{
			name: "all lost",
			in: MetricsInput{Currency: "USD", Closed: []ClosedGroup{
				{OwnerID: "U1", Stage: StageLost, Currency: "USD", Count: 3, AmountMinor: 9_000_00, CycleDays: 30},
			}},
			want: func(t *testing.T, m Metrics) {
				if !m.HasClosed || m.WinRate != 0 || m.Lost != 3 || m.Won != 0 || m.WonAmount != usd(0) || m.AvgCycleDays != 0 {
					t.Errorf("all lost = %+v, want win rate 0 of 3 closed", m)
				}
			},
		},
		{
			// U1 won a recurring 12,000 (cycle 10 days) and a one-off 3,000
			// (20 days); U2 won a recurring 24,000 (30 days) and lost one.
			// Win rate 3/4; cycle (10+20+30)/3 = 20; average deal
			// 39,000/3 = 13,000; ACV (12,000+24,000)/2 = 18,000.
			// Commission: U1 at the default 10% = 1,500; U2 at its own
			// 2.5% = 600.
			name: "recurring and one-off mixed",
			in: MetricsInput{Currency: "USD", DefaultBps: 1000, RepBps: map[string]int{"U2": 250},
				Closed: []ClosedGroup{
					{OwnerID: "U1", Stage: StageWon, Currency: "USD", Recurring: true, Count: 1, AmountMinor: 12_000_00, CycleDays: 10},
					{OwnerID: "U1", Stage: StageWon, Currency: "USD", Count: 1, AmountMinor: 3_000_00, CycleDays: 20},
					{OwnerID: "U2", Stage: StageWon, Currency: "USD", Recurring: true, Count: 1, AmountMinor: 24_000_00, CycleDays: 30},
					{OwnerID: "U2", Stage: StageLost, Currency: "USD", Count: 1, AmountMinor: 5_000_00, CycleDays: 7},
				},
				ARR:              []Money{usd(100_000_00), {Minor: 7_000_00, Currency: "EUR"}},
				CustomersAtStart: 8, Churned: 2},
			want: func(t *testing.T, m Metrics) {
				if m.Won != 3 || m.Lost != 1 || m.WinRate != 0.75 {
					t.Errorf("won %d lost %d rate %v, want 3, 1, 0.75", m.Won, m.Lost, m.WinRate)
				}
				if m.AvgCycleDays != 20 || m.AvgDealSize != usd(13_000_00) || m.ACV != usd(18_000_00) || m.WonAmount != usd(39_000_00) {
					t.Errorf("cycle %v, size %v, ACV %v, won %v; want 20, $13,000, $18,000, $39,000", m.AvgCycleDays, m.AvgDealSize, m.ACV, m.WonAmount)
				}
				if m.ARR != usd(100_000_00) || !reflect.DeepEqual(m.OtherARR, []Money{{Minor: 7_000_00, Currency: "EUR"}}) {
					t.Errorf("ARR %v (other %v), want $100,000 and €7,000 apart", m.ARR, m.OtherARR)
				}
				if m.ChurnRate != 0.25 {
					t.Errorf("churn = %v, want 2/8", m.ChurnRate)
				}
				want := map[string]Money{"U1": usd(1_500_00), "U2": usd(600_00)}
				if !reflect.DeepEqual(m.Commission, want) {
					t.Errorf("commission = %v, want %v", m.Commission, want)
				}
				if len(m.Leaderboard) != 2 || m.Leaderboard[0].OwnerID != "U2" || m.Leaderboard[0].Amount != usd(24_000_00) ||
					m.Leaderboard[1].OwnerID != "U1" || m.Leaderboard[1].Won != 2 {
					t.Errorf("leaderboard = %+v, want U2 ($24,000) then U1 (2 deals)", m.Leaderboard)
				}
			},
		},
		{
			// A EUR win counts as a win and in the cycle, not in the money.
			name: "two currencies",
			in: MetricsInput{Currency: "USD", Closed: []ClosedGroup{
				{OwnerID: "U1", Stage: StageWon, Currency: "USD", Count: 1, AmountMinor: 1_000_00, CycleDays: 4},
				{OwnerID: "U1", Stage: StageWon, Currency: "EUR", Count: 1, AmountMinor: 50_000_00, CycleDays: 8},
			}},
			want: func(t *testing.T, m Metrics) {
				if m.Won != 2 || m.WonAmount != usd(1_000_00) || m.AvgDealSize != usd(1_000_00) || m.AvgCycleDays != 6 {
					t.Errorf("%+v: want 2 won, $1,000, average $1,000 (USD only), cycle 6", m)
				}
				if !reflect.DeepEqual(m.Other, []Money{{Minor: 50_000_00, Currency: "EUR"}}) {
					t.Errorf("other = %v, want €50,000", m.Other)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.want(t, ComputeMetrics(tt.in)) })
	}
}

func TestCommissionRounding(t *testing.T) {
	t.Parallel()
	// 333.33 at 7.5% = 24.99975 → 25.00.
	if got := Commission(333_33, 750); got != 25_00 {
		t.Errorf("Commission = %d, want 2500", got)
	}
	if got := Commission(math.MaxInt64/2, 10_000); got != math.MaxInt64/2 {
		t.Errorf("Commission at 100%% = %d, want the amount", got)
	}
}

func TestAuthorizeScope(t *testing.T) {
	t.Parallel()
	rep := User{WorkspaceID: "T", ID: "UREP", Role: RoleRep}
	mgr := User{WorkspaceID: "T", ID: "UMGR", Role: RoleManager}
	admin := User{WorkspaceID: "T", ID: "UADM", Role: RoleAdmin}
	team := []User{{ID: "UREP"}, {ID: "UREP2"}}
	tests := []struct {
		actor  User
		want   string
		team   []User
		owners []string
		name   string
		denied bool
	}{
		{actor: rep, owners: []string{"UREP"}, name: "mine"},
		{actor: rep, want: "team", denied: true},
		{actor: rep, want: "all", denied: true},
		{actor: mgr, team: team, owners: []string{"UMGR", "UREP", "UREP2"}, name: "team"},
		{actor: mgr, want: "mine", owners: []string{"UMGR"}, name: "mine"},
		{actor: mgr, want: "all", denied: true},
		{actor: admin, name: "all"},
		{actor: admin, want: "team", name: "all"},
		{actor: admin, want: "team", team: team, owners: []string{"UADM", "UREP", "UREP2"}, name: "team"},
	}
	for _, tt := range tests {
		s, err := AuthorizeScope(tt.actor, tt.want, tt.team)
		if tt.denied {
			if err == nil {
				t.Errorf("%s asking %q: allowed %+v, want refused", tt.actor.Role, tt.want, s)
			}
			continue
		}
		if err != nil || s.Name != tt.name || !reflect.DeepEqual(s.Owners, tt.owners) {
			t.Errorf("%s asking %q = %+v, %v; want %s %v", tt.actor.Role, tt.want, s, err, tt.name, tt.owners)
		}
	}
}
