package commands

import (
	"context"
	"fmt"
	"strings"

	"salesbot/pipeline"
	"salesbot/render"
)

// pipelineShow handles "/pipeline" and "/pipeline mine|team|all": the open
// pipeline by stage with totals and the weighted forecast.
func (a *App) pipelineShow(ctx context.Context, in SlashInput) Reply {
	want := in.Sub
	if want != "" && want != pipeline.ScopeMine && want != pipeline.ScopeTeam && want != pipeline.ScopeAll || len(in.Args) > 0 {
		return Reply{Ack: ephemeral(fmt.Sprintf("I don't know `/pipeline %s`.\n%s", render.Escape(render.Clip(strings.TrimSpace(in.Text), 40)), a.family("/pipeline").usage()))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		scope, err := a.scopeFor(ctx, actor, want)
		if err != nil {
			return message{}, err
		}
		stages, err := a.store.Stages(ctx, a.store.DB(), actor.WorkspaceID)
		if err != nil {
			return message{}, err
		}
		sums, err := a.store.OpenByStage(ctx, a.store.DB(), actor.WorkspaceID, scope.Owners)
		if err != nil {
			return message{}, err
		}
		rows, other := pipeline.ByStage(stages, sums, st.Currency)
		total := pipeline.Sum(rows, st.Currency)
		r := report{header: "Pipeline — " + scopeTitle(scope)}
		r.sections = append(r.sections, section{pre: true, lines: stageTable(rows, st.Currency)})
		r.sections = append(r.sections, section{lines: []string{fmt.Sprintf(
			"*%s* open · %s in the pipeline · weighted forecast *%s*", render.Plural(total.Count, "deal"), total.Amount, total.Weighted)}})
		r.footer = strings.TrimSpace(otherCurrencies("Open deals", other) + "\nWeighted = amount × the stage's win probability. `/pipeline forecast` for this month and quarter.")
		return r.message(), nil
	})
}

// scopeFor resolves whose deals actor sees for the scope they asked for.
func (a *App) scopeFor(ctx context.Context, actor pipeline.User, want string) (pipeline.Scope, error) {
	var team []pipeline.User
	if actor.Role != pipeline.RoleRep {
		var err error
		if team, err = a.store.TeamOf(ctx, a.store.DB(), actor.WorkspaceID, actor.ID); err != nil {
			return pipeline.Scope{}, err
		}
	}
	return pipeline.AuthorizeScope(actor, want, team)
}

func scopeTitle(s pipeline.Scope) string {
	switch s.Name {
	case pipeline.ScopeMine:
		return "your deals"
	case pipeline.ScopeTeam:
		return "your team"
	}
	return "whole workspace"
}

// pipelineForecast handles "/pipeline forecast [month|quarter]": the text
// forecast, and a chart of forecast against closed for the month and the
// quarter in the person's DM.
func (a *App) pipelineForecast(ctx context.Context, in SlashInput) Reply {
	which := strings.ToLower(strings.TrimSpace(in.Rest))
	if which != "" && which != "month" && which != "quarter" {
		return Reply{Ack: ephemeral(fmt.Sprintf("I can forecast the `month` or the `quarter`, not %s. Usage: `/pipeline forecast [month|quarter]`", render.Quoted(which, 40)))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		scope, err := a.scopeFor(ctx, actor, "")
		if err != nil {
			return message{}, err
		}
		stages, err := a.store.Stages(ctx, a.store.DB(), actor.WorkspaceID)
		if err != nil {
			return message{}, err
		}
		now := a.now().In(location(st.Timezone))
		month, err := a.forecast(ctx, actor.WorkspaceID, scope.Owners, stages, pipeline.MonthOf(now), st.Currency)
		if err != nil {
			return message{}, err
		}
		quarter, err := a.forecast(ctx, actor.WorkspaceID, scope.Owners, stages, pipeline.QuarterOf(now), st.Currency)
		if err != nil {
			return message{}, err
		}
		f := month
		if which == "quarter" {
			f = quarter
		}
		r := report{header: "Forecast — " + scopeTitle(scope)}
		r.sections = append(r.sections, section{title: render.Capitalize(f.Period), pre: true, lines: forecastTable(f)})
		lines := []string{fmt.Sprintf("%s expected to close, without a close date they count in no forecast.", render.Plural(f.Deals, "open deal"))}
		if png, err := forecastChart(month, quarter); err == nil {
			lines = append(lines, a.shareChart(ctx, actor, "forecast.png", "Forecast vs closed", png))
		} else {
			a.log.Warn("forecast chart", "team", actor.WorkspaceID, "error", err)
		}
		r.sections = append(r.sections, section{lines: lines})
		r.footer = strings.TrimSpace(otherCurrencies("Best case", f.Other) + fmt.Sprintf(
			"\nWeighted = closed + open × stage probability · commit = closed + open deals at %d%% or more · best case = closed + every open deal.", pipeline.CommitProbability))
		return r.message(), nil
	})
}

func forecastTable(f pipeline.Forecast) []string {
	row := func(k string, m pipeline.Money) string { return fmt.Sprintf("%-10s %16s", k, m) }
	return []string{row("Closed", f.Closed), row("Commit", f.Commit), row("Weighted", f.Weighted), row("Best case", f.BestCase)}
}

// pipelineStale handles "/pipeline stale": open deals idle past their
// stage's threshold, in the person's scope.
func (a *App) pipelineStale(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		scope, err := a.scopeFor(ctx, actor, "")
		if err != nil {
			return message{}, err
		}
		stages, err := a.store.Stages(ctx, a.store.DB(), actor.WorkspaceID)
		if err != nil {
			return message{}, err
		}
		// Only the scope's deals are read, and only those shown; the
		// count says how many there are in all.
		const shown = 25
		now := a.now()
		stale, err := a.store.StaleDealsIn(ctx, a.store.DB(), actor.WorkspaceID, scope.Owners, now, shown)
		if err != nil {
			return message{}, err
		}
		total, err := a.store.StaleCount(ctx, a.store.DB(), actor.WorkspaceID, scope.Owners, now)
		if err != nil {
			return message{}, err
		}
		total = max(total, len(stale))
		if total == 0 {
			return ephemeral(":sparkles: No stale deals in " + scopeTitle(scope) + ": every open deal has had activity within its stage's limit."), nil
		}
		s := section{}
		for _, d := range stale {
			s.lines = append(s.lines, fmt.Sprintf("• %s · %s · idle %s", dealBrief(d),
				render.Escape(pipeline.StageLabelIn(stages, d.Stage)), strings.TrimSuffix(render.Ago(d.LastActivityAt, now), " ago")))
		}
		if more := total - len(stale); more > 0 {
			s.lines = append(s.lines, fmt.Sprintf("… and %d more", more))
		}
		r := report{header: fmt.Sprintf("Stale deals — %s (%d)", scopeTitle(scope), total), sections: []section{s},
			footer: "A deal is stale when it has had no activity for longer than its stage allows. `/deal note D-42 …` logs activity."}
		return r.message(), nil
	})
}
