package pipeline

import (
	"cmp"
	"slices"
)

// StageSum is what the store counts for one stage and currency: how many
// deals and their summed amount, in minor units.
type StageSum struct {
	Stage       Stage
	Currency    string
	Count       int
	AmountMinor int64
}

// StageTotal is one row of the pipeline by stage, in the workspace currency.
type StageTotal struct {
	Stage    Stage
	Label    string
	Count    int
	Amount   Money
	Weighted Money // Amount × the stage's win probability
}

// Weight is amount × percent / 100, rounded half up, without overflowing
// int64 for any sum of valid deal amounts.
func Weight(amount int64, percent int) int64 {
	p := int64(percent)
	return amount/100*p + (amount%100*p+50)/100
}

// ByStage turns the store's sums into the pipeline by stage: every open stage
// of the workspace in order (empty ones with zeros), in currency. Sums in other
// currencies are never converted or added: they come back apart, one Money
// per currency, sorted by currency, so the caller can list them.
func ByStage(stages []StageDef, sums []StageSum, currency string) (totals []StageTotal, other []Money) {
	for _, d := range OpenStages(stages) {
		totals = append(totals, StageTotal{Stage: d.Key, Label: d.Label,
			Amount: Money{Currency: currency}, Weighted: Money{Currency: currency}})
	}
	otherBy := map[string]int64{}
	for _, s := range sums {
		if s.Currency != currency {
			otherBy[s.Currency] += s.AmountMinor
			continue
		}
		i := slices.IndexFunc(totals, func(t StageTotal) bool { return t.Stage == s.Stage })
		if i < 0 {
			continue // a closed stage, or one the workspace no longer has
		}
		t := &totals[i]
		t.Count += s.Count
		t.Amount.Minor += s.AmountMinor
		t.Weighted.Minor += Weight(s.AmountMinor, FindStage(stages, s.Stage).Probability)
	}
	return totals, moneyList(otherBy)
}

// Sum adds up the rows of a pipeline by stage.
func Sum(totals []StageTotal, currency string) StageTotal {
	out := StageTotal{Label: "Total", Amount: Money{Currency: currency}, Weighted: Money{Currency: currency}}
	for _, t := range totals {
		out.Count += t.Count
		out.Amount.Minor += t.Amount.Minor
		out.Weighted.Minor += t.Weighted.Minor
	}
	return out
}

// CommitProbability is the win probability from which an open deal counts
// toward the commit forecast: proposal (50%) and negotiation (75%) with the
// default stages.
const CommitProbability = 50

// Forecast is where the period is expected to end, in the workspace
// currency. Every figure includes Closed, so they compare directly:
//
//   - Closed: won in the period (the final amount of deals closed-won in it).
//   - Weighted: Closed + each open deal expected to close in the period × its
//     stage's probability.
//   - Commit: Closed + the full amount of open deals expected to close in the
//     period whose stage probability is at least CommitProbability.
//   - BestCase: Closed + the full amount of every open deal expected to close
//     in the period.
//
// Open deals without an expected close date are in no period's forecast.
type Forecast struct {
	Weighted, BestCase, Commit, Closed Money
	Period                             string
	Deals                              int     // open deals expected to close in the period
	Other                              []Money // best case in other currencies, never converted
}

// ForecastFrom computes the forecast of period name from the open deals
// expected to close in it (open) and the deals won in it (won), both summed
// by stage and currency by the store.
func ForecastFrom(name string, stages []StageDef, open, won []StageSum, currency string) Forecast {
	f := Forecast{Period: name}
	for _, m := range []*Money{&f.Weighted, &f.BestCase, &f.Commit, &f.Closed} {
		m.Currency = currency
	}
	otherBy := map[string]int64{}
	for _, w := range won {
		if w.Currency != currency {
			otherBy[w.Currency] += w.AmountMinor
			continue
		}
		f.Closed.Minor += w.AmountMinor
	}
	f.Weighted.Minor, f.Commit.Minor, f.BestCase.Minor = f.Closed.Minor, f.Closed.Minor, f.Closed.Minor
	for _, s := range open {
		if s.Currency != currency {
			otherBy[s.Currency] += s.AmountMinor
			continue
		}
		d := FindStage(stages, s.Stage)
		if d == nil || s.Stage.Closed() {
			continue
		}
		f.Deals += s.Count
		f.BestCase.Minor += s.AmountMinor
		f.Weighted.Minor += Weight(s.AmountMinor, d.Probability)
		if d.Probability >= CommitProbability {
			f.Commit.Minor += s.AmountMinor
		}
	}
	f.Other = moneyList(otherBy)
	return f
}

// moneyList turns per-currency sums into a list sorted by currency.
func moneyList(by map[string]int64) []Money {
	var out []Money
	for c, v := range by {
		out = append(out, Money{Minor: v, Currency: c})
	}
	slices.SortFunc(out, func(a, b Money) int { return cmp.Compare(a.Currency, b.Currency) })
	return out
}
