package commands

import (
	"bytes"
	"context"
	"math"

	"github.com/slack-go/slack"

	"salesbot/chart"
	"salesbot/pipeline"
)

// major is m in major units, for drawing only.
func major(m pipeline.Money) float64 {
	return float64(m.Minor) / math.Pow10(pipeline.MinorDigits(m.Currency))
}

// forecastChart draws the month's and the quarter's weighted forecast next
// to what is already closed.
func forecastChart(month, quarter pipeline.Forecast) ([]byte, error) {
	return chart.Grouped("Forecast vs closed", month.Closed.Currency, []string{"This month", "This quarter"},
		"Weighted forecast", []float64{major(month.Weighted), major(quarter.Weighted)},
		"Closed (won)", []float64{major(month.Closed), major(quarter.Closed)})
}

// funnelChart draws the open pipeline by stage, amount per stage.
func funnelChart(rows []pipeline.StageTotal, currency string) ([]byte, error) {
	bars := make([]chart.Bar, len(rows))
	for i, r := range rows {
		bars[i] = chart.Bar{Label: r.Label, Value: major(r.Amount)}
	}
	return chart.Funnel("Pipeline by stage", currency, bars)
}

// shareChart uploads png to actor's DM with the bot and returns a line for
// the reply saying where it went (or that it could not be shared: the text
// above it has the same figures).
func (a *App) shareChart(ctx context.Context, actor pipeline.User, name, title string, png []byte) string {
	dm, _, _, err := a.slack.OpenConversationContext(ctx, &slack.OpenConversationParameters{Users: []string{actor.ID}, ReturnIM: true})
	if err == nil {
		_, err = a.slack.UploadFileContext(ctx, slack.UploadFileParameters{
			Reader: bytes.NewReader(png), FileSize: len(png), Filename: name, Title: title,
			AltTxt: title, Channel: dm.ID,
		})
	}
	if err != nil {
		a.log.Warn("share chart", "team", actor.WorkspaceID, "user", actor.ID, "error", err)
		return "_The chart could not be shared this time; the figures above are complete._"
	}
	return ":bar_chart: Chart sent to your DM with salesbot."
}
