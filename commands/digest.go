package commands

import (
	"context"
	"fmt"
	"time"

	"salesbot/pipeline"
	"salesbot/store"
)

// Digests builds daily digests from the store alone, with no Slack side:
// the App's digest job and /pipeline digest use it, and so does
// `salesbot digest --print`.
type Digests struct {
	store    *store.Store
	defaults pipeline.Settings // for a workspace seen for the first time
	now      func() time.Time
}

// NewDigests reads digests from st; now is the clock (time.Now when nil).
func NewDigests(st *store.Store, defaults pipeline.Settings, now func() time.Time) Digests {
	if now == nil {
		now = time.Now
	}
	if defaults.Currency == "" {
		defaults.Currency = "USD"
	}
	return Digests{store: st, defaults: defaults, now: now}
}

func (a *App) digests() Digests { return Digests{store: a.store, defaults: a.defaults, now: a.now} }

// BuildDigest is Digests.BuildDigest with the App's store and clock.
func (a *App) BuildDigest(ctx context.Context, teamID string, day time.Time, managerID string) (pipeline.Digest, error) {
	return a.digests().BuildDigest(ctx, teamID, day, managerID)
}

func (a *App) buildDigest(ctx context.Context, st pipeline.Settings, day time.Time, scope pipeline.Scope) (pipeline.Digest, error) {
	return a.digests().buildDigest(ctx, st, day, scope)
}

func (a *App) forecast(ctx context.Context, team string, owners []string, stages []pipeline.StageDef, p pipeline.Period, currency string) (pipeline.Forecast, error) {
	return a.digests().forecast(ctx, team, owners, stages, p, currency)
}

// BuildDigest gathers the daily digest of team for the date of day (read in
// the workspace timezone): the events since the previous working day's
// digest date (new leads, stage moves, won and lost deals; see
// pipeline.DigestWindow) and where the pipeline stands (by stage, the
// forecast of day's month and quarter, stale deals and overdue follow-ups as
// of now, or of the end of day when day is in the past, and the largest
// deals expected to close in day's month). managerID "" covers the whole
// workspace; a manager's ID covers them and their team.
func (a Digests) BuildDigest(ctx context.Context, teamID string, day time.Time, managerID string) (pipeline.Digest, error) {
	st, err := a.store.EnsureWorkspace(ctx, a.store.DB(), teamID, a.defaults)
	if err != nil {
		return pipeline.Digest{}, err
	}
	scope := pipeline.Scope{Name: pipeline.ScopeAll}
	if managerID != "" {
		team, err := a.store.TeamOf(ctx, a.store.DB(), teamID, managerID)
		if err != nil {
			return pipeline.Digest{}, err
		}
		scope = pipeline.Scope{Name: pipeline.ScopeTeam, Owners: []string{managerID}}
		for _, u := range team {
			scope.Owners = append(scope.Owners, u.ID)
		}
	}
	d, err := a.buildDigest(ctx, st, day, scope)
	d.Scope = managerID
	return d, err
}

func (a Digests) buildDigest(ctx context.Context, st pipeline.Settings, day time.Time, scope pipeline.Scope) (pipeline.Digest, error) {
	team, owners := st.WorkspaceID, scope.Owners
	loc := location(st.Timezone)
	today := pipeline.DayOf(day.In(loc))
	// The digest runs on working days only: it covers every day since the
	// previous one, so Friday's and the weekend's news reach Monday's.
	d := pipeline.Digest{Day: today.From, Currency: st.Currency,
		Covered: pipeline.DigestCovered(day, st.WorkingDays, loc)}
	asOf := a.now()
	if asOf.After(today.To) {
		asOf = today.To
	}
	var err error
	if d.Stages, err = a.store.Stages(ctx, a.store.DB(), team); err != nil {
		return d, err
	}
	if d.NewLeads, d.NewCount, err = a.store.NewDeals(ctx, a.store.DB(), team, owners, d.Covered, pipeline.DigestListLimit); err != nil {
		return d, err
	}
	if d.Moves, d.MovesCount, err = a.store.StageMoves(ctx, a.store.DB(), team, owners, d.Covered, pipeline.DigestListLimit); err != nil {
		return d, err
	}
	// Closed deals are listed one by one: a day's wins are few, and each is news.
	closed, err := a.store.ClosedIn(ctx, a.store.DB(), team, owners, d.Covered, 200)
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
	sums, err := a.store.OpenByStage(ctx, a.store.DB(), team, owners)
	if err != nil {
		return d, err
	}
	d.Pipeline, d.PipelineOther = pipeline.ByStage(d.Stages, sums, st.Currency)
	month, quarter := pipeline.MonthOf(today.From), pipeline.QuarterOf(today.From)
	if d.ForecastMonth, err = a.forecast(ctx, team, owners, d.Stages, month, st.Currency); err != nil {
		return d, err
	}
	if d.ForecastQuarter, err = a.forecast(ctx, team, owners, d.Stages, quarter, st.Currency); err != nil {
		return d, err
	}
	if d.StaleCount, err = a.store.StaleCount(ctx, a.store.DB(), team, owners, asOf); err != nil {
		return d, err
	}
	if d.OverdueCount, err = a.store.OverdueCount(ctx, a.store.DB(), team, owners, asOf); err != nil {
		return d, err
	}
	d.ClosingThisMonth, err = a.store.ClosingIn(ctx, a.store.DB(), team, owners, month, pipeline.ClosingTop)
	return d, err
}

// forecast reads and computes the forecast of period p.
func (a Digests) forecast(ctx context.Context, team string, owners []string, stages []pipeline.StageDef, p pipeline.Period, currency string) (pipeline.Forecast, error) {
	open, won, err := a.store.ForecastSums(ctx, a.store.DB(), team, owners, p)
	if err != nil {
		return pipeline.Forecast{}, err
	}
	f := pipeline.ForecastFrom(p.Name, stages, open, won, currency)
	f.Period = fmt.Sprintf("%s (%s)", p.Name, periodDates(p))
	return f, nil
}

// periodDates is "Nov 1 – Nov 30".
func periodDates(p pipeline.Period) string {
	last := p.To.AddDate(0, 0, -1)
	if p.To.Sub(p.From) <= 24*time.Hour+time.Hour {
		return p.From.Format("Mon Jan 2")
	}
	return p.From.Format("Jan 2") + " – " + last.Format("Jan 2")
}
