package commands

import (
	"context"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// pipelineLeaderboard handles "/pipeline leaderboard [period]" (default:
// this month). Like the weekly post, it covers the whole workspace.
func (a *App) pipelineLeaderboard(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		p, err := pipeline.ParsePeriod(in.Rest, "month", a.now(), pipeline.Zone(st.Timezone))
		if err != nil {
			return message{}, badInput(render.BadPeriod(err))
		}
		l, err := a.sales.Leaderboard(ctx, sales.LeaderboardRequest{Team: actor.WorkspaceID, From: p.From, To: p.To})
		if err != nil {
			return message{}, err
		}
		r := render.LeaderboardReport(l)
		blocks := r.Blocks()
		if png, err := render.FunnelChart(l.Rows, l.Currency); err != nil {
			a.log.Warn("funnel chart", "team", actor.WorkspaceID, "error", err)
		} else if png != nil {
			if line := a.shareChart(ctx, actor, "funnel.png", "Pipeline funnel", png); line != "" {
				blocks = append(blocks, render.ChartLine(line))
			}
		}
		return ephemeral(render.ClipBytes(r.Text(), render.MaxMessageText), blocks...), nil
	})
}

// pipelineMetrics handles "/pipeline metrics [period]" (default: this
// month) over the person's scope.
func (a *App) pipelineMetrics(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		p, err := pipeline.ParsePeriod(in.Rest, "month", a.now(), pipeline.Zone(st.Timezone))
		if err != nil {
			return message{}, badInput(render.BadPeriod(err))
		}
		v, err := a.sales.Metrics(ctx, sales.MetricsRequest{Team: actor.WorkspaceID, Actor: actor, Period: p})
		if err != nil {
			return message{}, err
		}
		return reportMessage(render.MetricsReport(v)), nil
	})
}

// pipelineDigest handles "/pipeline digest": today's digest as only the
// person sees it, over their scope.
func (a *App) pipelineDigest(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		d, err := a.sales.PreviewDigest(ctx, sales.ReportRequest{Team: actor.WorkspaceID, Actor: actor})
		if err != nil {
			return message{}, err
		}
		text, blocks := render.DigestPreview(d)
		return ephemeral(text, blocks...), nil
	})
}
