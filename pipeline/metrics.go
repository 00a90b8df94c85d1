package pipeline

import (
	"cmp"
	"slices"
)

// ClosedGroup is what the store counts of deals closed in a period, per
// owner, outcome (won or lost), currency and kind (recurring or one-off).
type ClosedGroup struct {
	OwnerID     string
	Stage       Stage // StageWon or StageLost
	Currency    string
	Recurring   bool
	Count       int
	AmountMinor int64   // won: the final amounts; lost: the amounts lost
	CycleDays   float64 // sum over the group of days from creation to close
}

// MetricsInput is everything the metrics of one period are computed from.
type MetricsInput struct {
	Period   Period
	Currency string // the workspace currency: money figures are in it
	Closed   []ClosedGroup
	// ARR is the annual value of won recurring deals whose account had not
	// churned at the period's end, per currency.
	ARR []Money
	// Customers at the period's start, and how many of them churned in it.
	CustomersAtStart, Churned int
	DefaultBps                int            // workspace commission rate, basis points
	RepBps                    map[string]int // per-rep rates that override it
}

// RepTotal is one rep's line of the leaderboard.
type RepTotal struct {
	OwnerID    string
	Won        int   // deals won, in any currency
	Amount     Money // won amount in the workspace currency
	Commission Money
}

// Metrics are a period's sales figures. Amounts are in the workspace
// currency; deals in other currencies count in Won, Lost, WinRate and
// AvgCycleDays but not in the money figures, and their won amounts are in
// Other, per currency.
type Metrics struct {
	Period    Period
	Won, Lost int
	WonAmount Money
	// WinRate is won ÷ (won + lost) by number of deals closed in the period,
	// from 0 to 1; 0 when none closed (HasClosed tells the two apart).
	WinRate   float64
	HasClosed bool
	// AvgCycleDays is the mean of days from creation to close over deals won
	// in the period.
	AvgCycleDays float64
	AvgDealSize  Money // won amount ÷ deals won
	// ACV is the mean annual value of recurring deals won in the period
	// (one-off deals have no annual value and are left out).
	ACV Money
	// ARR is the annual value of all won recurring deals whose account is
	// not churned at the period's end.
	ARR Money
	// ChurnRate is customers churned in the period ÷ customers at its start.
	ChurnRate                 float64
	CustomersAtStart, Churned int
	Commission                map[string]Money // per rep: won amount × their rate
	Leaderboard               []RepTotal       // by won amount, then deals won
	Other                     []Money          // won in other currencies
	OtherARR                  []Money          // ARR in other currencies
}

// ComputeMetrics computes a period's metrics from the store's counts.
func ComputeMetrics(in MetricsInput) Metrics {
	cur := in.Currency
	m := Metrics{Period: in.Period, WonAmount: Money{Currency: cur}, AvgDealSize: Money{Currency: cur},
		ACV: Money{Currency: cur}, ARR: Money{Currency: cur}, Commission: map[string]Money{}}
	reps := map[string]*RepTotal{}
	otherBy := map[string]int64{}
	var wonCur, recurring int
	var recurringMinor int64
	var cycle float64
	for _, g := range in.Closed {
		if g.Stage != StageWon {
			m.Lost += g.Count
			continue
		}
		m.Won += g.Count
		cycle += g.CycleDays
		r := reps[g.OwnerID]
		if r == nil {
			r = &RepTotal{OwnerID: g.OwnerID, Amount: Money{Currency: cur}}
			reps[g.OwnerID] = r
		}
		r.Won += g.Count
		if g.Currency != cur {
			otherBy[g.Currency] += g.AmountMinor
			continue
		}
		wonCur += g.Count
		m.WonAmount.Minor += g.AmountMinor
		r.Amount.Minor += g.AmountMinor
		if g.Recurring {
			recurring += g.Count
			recurringMinor += g.AmountMinor
		}
	}
	m.HasClosed = m.Won+m.Lost > 0
	if m.HasClosed {
		m.WinRate = float64(m.Won) / float64(m.Won+m.Lost)
	}
	if m.Won > 0 {
		m.AvgCycleDays = cycle / float64(m.Won)
	}
	m.AvgDealSize.Minor = divRound(m.WonAmount.Minor, wonCur)
	m.ACV.Minor = divRound(recurringMinor, recurring)
	arrOther := map[string]int64{}
	for _, a := range in.ARR {
		if a.Currency == cur {
			m.ARR.Minor += a.Minor
		} else {
			arrOther[a.Currency] += a.Minor
		}
	}
	m.OtherARR = moneyList(arrOther)
	m.CustomersAtStart, m.Churned = in.CustomersAtStart, in.Churned
	if in.CustomersAtStart > 0 {
		m.ChurnRate = float64(in.Churned) / float64(in.CustomersAtStart)
	}
	for id, r := range reps {
		bps, ok := in.RepBps[id]
		if !ok {
			bps = in.DefaultBps
		}
		r.Commission = Money{Minor: Commission(r.Amount.Minor, bps), Currency: cur}
		m.Commission[id] = r.Commission
		m.Leaderboard = append(m.Leaderboard, *r)
	}
	slices.SortFunc(m.Leaderboard, func(a, b RepTotal) int {
		return cmp.Or(cmp.Compare(b.Amount.Minor, a.Amount.Minor), cmp.Compare(b.Won, a.Won), cmp.Compare(a.OwnerID, b.OwnerID))
	})
	m.Other = moneyList(otherBy)
	return m
}

// Commission is amount × bps / 10,000, rounded half up, without overflow.
func Commission(amount int64, bps int) int64 {
	b := int64(bps)
	return amount/10_000*b + (amount%10_000*b+5_000)/10_000
}

// divRound is a ÷ n rounded half up, 0 when n is 0.
func divRound(a int64, n int) int64 {
	if n <= 0 {
		return 0
	}
	return (a + int64(n)/2) / int64(n)
}
