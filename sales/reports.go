package sales

import (
	"salesbot/pipeline"
	"time"
)

// ReportRequest is a person asking for a report over a scope of the
// pipeline.
type ReportRequest struct {
	Team  string
	Actor pipeline.User // as salesbot knows them, role included
	Scope string        // pipeline.ScopeMine, ScopeTeam, ScopeAll; "" is the actor's default
}

// DigestRequest asks for the daily digest of Day (a time on that day, read
// in the workspace timezone), of the whole workspace (Manager "") or of a
// manager and their team.
type DigestRequest struct {
	Team    string
	Day     time.Time
	Manager string
}

// PipelineView is the open pipeline of a scope by stage.
type PipelineView struct {
	Scope    pipeline.Scope
	Currency string
	Rows     []pipeline.StageTotal
	Other    []pipeline.Money // open deals in other currencies, never converted
}

// ForecastView is the forecast of this month and this quarter, in the
// workspace timezone, over a scope.
type ForecastView struct {
	Scope                      pipeline.Scope
	Month, Quarter             pipeline.Forecast
	MonthPeriod, QuarterPeriod pipeline.Period
}

// StaleRequest asks for the stale deals of the scope a person sees by
// default, at most Limit of them.
type StaleRequest struct {
	Team  string
	Actor pipeline.User
	Limit int
}

// StaleView is the open deals idle past their stage's limit.
type StaleView struct {
	Scope  pipeline.Scope
	Stages []pipeline.StageDef
	Deals  []pipeline.Deal // at most the limit asked for
	Total  int             // how many there are in all
	AsOf   time.Time
}

// LeaderboardRequest asks for the workspace's leaderboard of the deals won
// in [From, To).
type LeaderboardRequest struct {
	Team     string
	From, To time.Time
}

// Leaderboard is the won amount per rep over a period, with the open
// pipeline by stage (its funnel).
type Leaderboard struct {
	Metrics  pipeline.Metrics
	Period   pipeline.Period // in the workspace timezone
	Currency string
	Rows     []pipeline.StageTotal
	Other    []pipeline.Money // open pipeline in other currencies
}

// MetricsRequest asks for the metrics of a period over the scope a person
// sees by default.
type MetricsRequest struct {
	Team   string
	Actor  pipeline.User
	Period pipeline.Period
}

// MetricsView is the metrics of a period over a scope.
type MetricsView struct {
	Scope   pipeline.Scope
	Metrics pipeline.Metrics
	Speed   []pipeline.RepSpeed // speed to lead per rep in the scope, over the period
}
