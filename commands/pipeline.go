package commands

import (
	"context"
	"strings"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// pipelineShow handles "/pipeline" and "/pipeline mine|team|all": the open
// pipeline by stage with totals and the weighted forecast.
func (a *App) pipelineShow(ctx context.Context, in SlashInput) Reply {
	want := in.Sub
	if want != "" && want != pipeline.ScopeMine && want != pipeline.ScopeTeam && want != pipeline.ScopeAll || len(in.Args) > 0 {
		return Reply{Ack: ephemeral(render.UnknownVerb(a.family("/pipeline").help, strings.TrimSpace(in.Text)))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		v, err := a.sales.Pipeline(ctx, sales.ReportRequest{Team: actor.WorkspaceID, Actor: actor, Scope: want})
		if err != nil {
			return message{}, err
		}
		return reportMessage(render.PipelineReport(v)), nil
	})
}

// reportMessage is a report as an ephemeral message; its text is kept well
// under Slack's limit.
func reportMessage(r render.Report) message {
	return ephemeral(render.ClipBytes(r.Text(), render.MaxMessageText), r.Blocks()...)
}

// pipelineForecast handles "/pipeline forecast [month|quarter]": the text
// forecast, and a chart of forecast against closed for the month and the
// quarter in the person's DM.
func (a *App) pipelineForecast(ctx context.Context, in SlashInput) Reply {
	which := strings.ToLower(strings.TrimSpace(in.Rest))
	if which != "" && which != "month" && which != "quarter" {
		return Reply{Ack: ephemeral(render.BadForecast(which))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		v, err := a.sales.Forecast(ctx, sales.ReportRequest{Team: actor.WorkspaceID, Actor: actor})
		if err != nil {
			return message{}, err
		}
		var chartLine string
		if png, err := render.ForecastChart(v); err == nil {
			chartLine = a.shareChart(ctx, actor, "forecast.png", "Forecast vs closed", png)
		} else {
			a.log.Warn("forecast chart", "team", actor.WorkspaceID, "error", err)
		}
		return reportMessage(render.ForecastReport(v, which == "quarter", chartLine)), nil
	})
}

// pipelineStale handles "/pipeline stale": open deals idle past their
// stage's threshold, in the person's scope.
func (a *App) pipelineStale(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		const shown = 25
		v, err := a.sales.StaleDeals(ctx, sales.StaleRequest{Team: actor.WorkspaceID, Actor: actor, Limit: shown})
		if err != nil {
			return message{}, err
		}
		if v.Total == 0 {
			return ephemeral(render.NoStaleDeals(v.Scope)), nil
		}
		return reportMessage(render.StaleReport(v)), nil
	})
}
