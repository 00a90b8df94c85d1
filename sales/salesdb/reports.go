package salesdb

import (
	"context"
	"time"

	"salesbot/pipeline"
)

// The reports: what people and jobs read about the pipeline. Each returns
// the figures; the caller puts them in words.

// Scope resolves whose deals actor sees for the scope they asked for
// (pipeline.ScopeMine, ScopeTeam, ScopeAll; "" is their default).
func (s *Service) Scope(ctx context.Context, actor pipeline.User, want string) (pipeline.Scope, error) {
	var team []pipeline.User
	if actor.Role != pipeline.RoleRep {
		var err error
		if team, err = s.store.TeamOf(ctx, s.store.DB(), actor.WorkspaceID, actor.ID); err != nil {
			return pipeline.Scope{}, err
		}
	}
	return pipeline.AuthorizeScope(actor, want, team)
}

// Digest gathers the daily digest of in.Day: the events since the previous
// working day's digest date (new leads, stage moves, won and lost deals;
// see pipeline.DigestWindow) and where the pipeline stands (by stage, the
// forecast of the day's month and quarter, stale deals and overdue
// follow-ups as of now, or of the end of the day when it is past, and the
// largest deals expected to close in the day's month). The digest job and
// `salesbot digest --print` read it.
func (s *Service) Digest(ctx context.Context, in DigestRequest) (pipeline.Digest, error) {
	st, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults)
	if err != nil {
		return pipeline.Digest{}, err
	}
	scope := pipeline.Scope{Name: pipeline.ScopeAll}
	if in.Manager != "" {
		team, err := s.store.TeamOf(ctx, s.store.DB(), in.Team, in.Manager)
		if err != nil {
			return pipeline.Digest{}, err
		}
		scope = pipeline.Scope{Name: pipeline.ScopeTeam, Owners: []string{in.Manager}}
		for _, u := range team {
			scope.Owners = append(scope.Owners, u.ID)
		}
	}
	d, err := s.digest(ctx, st, in.Day, scope)
	d.Scope = in.Manager
	return d, err
}

// PreviewDigest is today's digest over the scope in.Actor sees by default,
// as /pipeline digest shows it to them alone.
func (s *Service) PreviewDigest(ctx context.Context, in ReportRequest) (pipeline.Digest, error) {
	scope, err := s.Scope(ctx, in.Actor, in.Scope)
	if err != nil {
		return pipeline.Digest{}, err
	}
	st, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults)
	if err != nil {
		return pipeline.Digest{}, err
	}
	d, err := s.digest(ctx, st, s.now(), scope)
	if scope.Name == pipeline.ScopeTeam {
		d.Scope = in.Actor.ID
	}
	return d, err
}

func (s *Service) digest(ctx context.Context, st pipeline.Settings, day time.Time, scope pipeline.Scope) (pipeline.Digest, error) {
	team, owners := st.WorkspaceID, scope.Owners
	loc := pipeline.Zone(st.Timezone)
	today := pipeline.DayOf(day.In(loc))
	// The digest runs on working days only: it covers every day since the
	// previous one, so Friday's and the weekend's news reach Monday's.
	d := pipeline.Digest{Day: today.From, Currency: st.Currency,
		Covered: pipeline.DigestCovered(day, st.WorkingDays, loc)}
	asOf := s.now()
	if asOf.After(today.To) {
		asOf = today.To
	}
	var err error
	if d.Stages, err = s.store.Stages(ctx, s.store.DB(), team); err != nil {
		return d, err
	}
	if d.NewLeads, d.NewCount, err = s.store.NewDeals(ctx, s.store.DB(), team, owners, d.Covered, pipeline.DigestListLimit); err != nil {
		return d, err
	}
	if d.Moves, d.MovesCount, err = s.store.StageMoves(ctx, s.store.DB(), team, owners, d.Covered, pipeline.DigestListLimit); err != nil {
		return d, err
	}
	// Closed deals are listed one by one: a day's wins are few, and each is news.
	closed, err := s.store.ClosedIn(ctx, s.store.DB(), team, owners, d.Covered, 200)
	if err != nil {
		return d, err
	}
	for _, c := range closed {
		if c.Stage == pipeline.StageWon {
			d.Won = append(d.Won, c)
		} else {
			d.Lost = append(d.Lost, c)
		}
	}
	sums, err := s.store.OpenByStage(ctx, s.store.DB(), team, owners)
	if err != nil {
		return d, err
	}
	d.Pipeline, d.PipelineOther = pipeline.ByStage(d.Stages, sums, st.Currency)
	month, quarter := pipeline.MonthOf(today.From), pipeline.QuarterOf(today.From)
	if d.ForecastMonth, err = s.forecast(ctx, team, owners, d.Stages, month, st.Currency); err != nil {
		return d, err
	}
	if d.ForecastQuarter, err = s.forecast(ctx, team, owners, d.Stages, quarter, st.Currency); err != nil {
		return d, err
	}
	if d.StaleCount, err = s.store.StaleCount(ctx, s.store.DB(), team, owners, asOf); err != nil {
		return d, err
	}
	if d.OverdueCount, err = s.store.OverdueCount(ctx, s.store.DB(), team, owners, asOf); err != nil {
		return d, err
	}
	if d.Speed, err = s.speedOf(ctx, team, owners, d.Covered); err != nil {
		return d, err
	}
	d.ClosingThisMonth, err = s.store.ClosingIn(ctx, s.store.DB(), team, owners, month, pipeline.ClosingTop)
	return d, err
}

// forecast reads and computes the forecast of period p; its Period is p's
// name ("this month").
func (s *Service) forecast(ctx context.Context, team string, owners []string, stages []pipeline.StageDef, p pipeline.Period, currency string) (pipeline.Forecast, error) {
	open, won, err := s.store.ForecastSums(ctx, s.store.DB(), team, owners, p)
	if err != nil {
		return pipeline.Forecast{}, err
	}
	return pipeline.ForecastFrom(p.Name, stages, open, won, currency), nil
}

// Pipeline is the open pipeline by stage over the scope in.Actor may see
// (ErrForbidden for a scope beyond it).
func (s *Service) Pipeline(ctx context.Context, in ReportRequest) (PipelineView, error) {
	st, scope, err := s.scoped(ctx, in)
	if err != nil {
		return PipelineView{}, err
	}
	stages, err := s.store.Stages(ctx, s.store.DB(), in.Team)
	if err != nil {
		return PipelineView{}, err
	}
	sums, err := s.store.OpenByStage(ctx, s.store.DB(), in.Team, scope.Owners)
	if err != nil {
		return PipelineView{}, err
	}
	v := PipelineView{Scope: scope, Currency: st.Currency}
	v.Rows, v.Other = pipeline.ByStage(stages, sums, st.Currency)
	return v, nil
}

// scoped reads the workspace's settings and resolves in's scope.
func (s *Service) scoped(ctx context.Context, in ReportRequest) (pipeline.Settings, pipeline.Scope, error) {
	scope, err := s.Scope(ctx, in.Actor, in.Scope)
	if err != nil {
		return pipeline.Settings{}, scope, err
	}
	st, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults)
	return st, scope, err
}

// Forecast is this month's and this quarter's forecast over the scope
// in.Actor sees by default.
func (s *Service) Forecast(ctx context.Context, in ReportRequest) (ForecastView, error) {
	st, scope, err := s.scoped(ctx, in)
	if err != nil {
		return ForecastView{}, err
	}
	stages, err := s.store.Stages(ctx, s.store.DB(), in.Team)
	if err != nil {
		return ForecastView{}, err
	}
	now := s.now().In(pipeline.Zone(st.Timezone))
	v := ForecastView{Scope: scope, MonthPeriod: pipeline.MonthOf(now), QuarterPeriod: pipeline.QuarterOf(now)}
	if v.Month, err = s.forecast(ctx, in.Team, scope.Owners, stages, v.MonthPeriod, st.Currency); err != nil {
		return ForecastView{}, err
	}
	if v.Quarter, err = s.forecast(ctx, in.Team, scope.Owners, stages, v.QuarterPeriod, st.Currency); err != nil {
		return ForecastView{}, err
	}
	return v, nil
}

// StaleDeals lists the stale deals of in.Actor's scope. Only those shown
// are read; the count says how many there are in all.
func (s *Service) StaleDeals(ctx context.Context, in StaleRequest) (StaleView, error) {
	scope, err := s.Scope(ctx, in.Actor, "")
	if err != nil {
		return StaleView{}, err
	}
	v := StaleView{Scope: scope, AsOf: s.now()}
	if v.Stages, err = s.store.Stages(ctx, s.store.DB(), in.Team); err != nil {
		return StaleView{}, err
	}
	if v.Deals, err = s.store.StaleDealsIn(ctx, s.store.DB(), in.Team, scope.Owners, v.AsOf, in.Limit); err != nil {
		return StaleView{}, err
	}
	if v.Total, err = s.store.StaleCount(ctx, s.store.DB(), in.Team, scope.Owners, v.AsOf); err != nil {
		return StaleView{}, err
	}
	v.Total = max(v.Total, len(v.Deals))
	return v, nil
}

// Leaderboard reads the whole workspace's leaderboard: the weekly job posts
// it, /pipeline leaderboard shows it on demand.
func (s *Service) Leaderboard(ctx context.Context, in LeaderboardRequest) (Leaderboard, error) {
	st, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults)
	if err != nil {
		return Leaderboard{}, err
	}
	loc := pipeline.Zone(st.Timezone)
	l := Leaderboard{Period: pipeline.Period{Name: "", From: in.From.In(loc), To: in.To.In(loc)}, Currency: st.Currency}
	mi, err := s.store.MetricsInput(ctx, s.store.DB(), in.Team, nil, l.Period, st.Currency)
	if err != nil {
		return Leaderboard{}, err
	}
	l.Metrics = pipeline.ComputeMetrics(mi)
	stages, err := s.store.Stages(ctx, s.store.DB(), in.Team)
	if err != nil {
		return Leaderboard{}, err
	}
	sums, err := s.store.OpenByStage(ctx, s.store.DB(), in.Team, nil)
	if err != nil {
		return Leaderboard{}, err
	}
	l.Rows, l.Other = pipeline.ByStage(stages, sums, st.Currency)
	return l, nil
}

// Metrics computes win rate, sales cycle, deal size, ACV, ARR, churn and
// commission over in.Period for in.Actor's scope.
func (s *Service) Metrics(ctx context.Context, in MetricsRequest) (MetricsView, error) {
	st, scope, err := s.scoped(ctx, ReportRequest{Team: in.Team, Actor: in.Actor})
	if err != nil {
		return MetricsView{}, err
	}
	mi, err := s.store.MetricsInput(ctx, s.store.DB(), in.Team, scope.Owners, in.Period, st.Currency)
	if err != nil {
		return MetricsView{}, err
	}
	speed, err := s.speedOf(ctx, in.Team, scope.Owners, in.Period)
	if err != nil {
		return MetricsView{}, err
	}
	return MetricsView{Scope: scope, Metrics: pipeline.ComputeMetrics(mi), Speed: speed}, nil
}
