package render

import (
	"math"

	"salesbot/chart"
	"salesbot/pipeline"
	"salesbot/sales"
)

// major is m in major units, for drawing only.
func major(m pipeline.Money) float64 {
	return float64(m.Minor) / math.Pow10(pipeline.MinorDigits(m.Currency))
}

// ForecastChart draws the month's and the quarter's weighted forecast next
// to what is already closed, as a PNG.
func ForecastChart(v sales.ForecastView) ([]byte, error) {
	month, quarter := v.Month, v.Quarter
	return chart.Grouped("Forecast vs closed", month.Closed.Currency, []string{"This month", "This quarter"},
		"Weighted forecast", []float64{major(month.Weighted), major(quarter.Weighted)},
		"Closed (won)", []float64{major(month.Closed), major(quarter.Closed)})
}

// FunnelChart draws the open pipeline by stage, amount per stage, as a PNG.
func FunnelChart(rows []pipeline.StageTotal, currency string) ([]byte, error) {
	bars := make([]chart.Bar, len(rows))
	for i, r := range rows {
		bars[i] = chart.Bar{Label: r.Label, Value: major(r.Amount)}
	}
	return chart.Funnel("Pipeline by stage", currency, bars)
}
