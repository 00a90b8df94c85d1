package commands

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
)

// LeaderboardMessage renders the workspace's leaderboard of deals won in
// [from, to) — won amount per rep, in the workspace currency — with the
// open pipeline by stage, as text, Block Kit and a PNG funnel of the
// pipeline. The weekly job posts it to the digest channel; /pipeline
// leaderboard shows it on demand. The chart is nil when it cannot be drawn.
func (a *App) LeaderboardMessage(ctx context.Context, teamID string, from, to time.Time) (text string, blocks []slack.Block, chartPNG []byte, err error) {
	st, err := a.store.EnsureWorkspace(ctx, a.store.DB(), teamID, a.defaults)
	if err != nil {
		return "", nil, nil, err
	}
	loc := location(st.Timezone)
	p := pipeline.Period{Name: "", From: from.In(loc), To: to.In(loc)}
	in, err := a.store.MetricsInput(ctx, a.store.DB(), teamID, nil, p, st.Currency)
	if err != nil {
		return "", nil, nil, err
	}
	m := pipeline.ComputeMetrics(in)
	stages, err := a.store.Stages(ctx, a.store.DB(), teamID)
	if err != nil {
		return "", nil, nil, err
	}
	sums, err := a.store.OpenByStage(ctx, a.store.DB(), teamID, nil)
	if err != nil {
		return "", nil, nil, err
	}
	rows, other := pipeline.ByStage(stages, sums, st.Currency)
	r := leaderboardReport(m, periodDates(p), rows, other, st.Currency)
	chartPNG, cerr := funnelChart(rows, st.Currency)
	if cerr != nil {
		a.log.Warn("funnel chart", "team", teamID, "error", cerr)
	}
	return r.text(), r.blocks(), chartPNG, nil
}

func leaderboardReport(m pipeline.Metrics, dates string, rows []pipeline.StageTotal, other []pipeline.Money, currency string) report {
	r := report{header: ":trophy: Leaderboard — " + dates}
	s := section{title: fmt.Sprintf("Won: %s, %s", render.Plural(m.Won, "deal"), m.WonAmount)}
	medals := []string{":first_place_medal:", ":second_place_medal:", ":third_place_medal:"}
	for i, rep := range m.Leaderboard {
		if i == 20 {
			s.lines = append(s.lines, fmt.Sprintf("… and %d more", len(m.Leaderboard)-20))
			break
		}
		rank := fmt.Sprintf("%d.", i+1)
		if i < len(medals) {
			rank = medals[i]
		}
		s.lines = append(s.lines, fmt.Sprintf("%s %s — %s (%s)", rank, render.UserMention(rep.OwnerID), rep.Amount, render.Plural(rep.Won, "deal")))
	}
	if len(m.Leaderboard) == 0 {
		s.lines = append(s.lines, "No deals won yet in this period.")
	}
	r.sections = append(r.sections, s, section{title: "Funnel: open pipeline by stage", pre: true, lines: stageTable(rows, currency)})
	r.footer = strings.TrimSpace(otherCurrencies("Won", m.Other) + "\n" + otherCurrencies("Open pipeline", other))
	return r
}

// pipelineLeaderboard handles "/pipeline leaderboard [period]" (default:
// this month). Like the weekly post, it covers the whole workspace.
func (a *App) pipelineLeaderboard(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		p, err := pipeline.ParsePeriod(in.Rest, "month", a.now(), location(st.Timezone))
		if err != nil {
			return message{}, badInput("%s", render.Escape(err.Error()))
		}
		text, blocks, png, err := a.LeaderboardMessage(ctx, actor.WorkspaceID, p.From, p.To)
		if err != nil {
			return message{}, err
		}
		if png != nil {
			if line := a.shareChart(ctx, actor, "funnel.png", "Pipeline funnel", png); line != "" {
				blocks = append(blocks, slack.NewContextBlock("", render.Mrkdwn(line)))
			}
		}
		return ephemeral(clipBytes(text, 3000), blocks...), nil
	})
}

// pipelineMetrics handles "/pipeline metrics [period]" (default: this
// month) over the person's scope.
func (a *App) pipelineMetrics(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		p, err := pipeline.ParsePeriod(in.Rest, "month", a.now(), location(st.Timezone))
		if err != nil {
			return message{}, badInput("%s", render.Escape(err.Error()))
		}
		scope, err := a.scopeFor(ctx, actor, "")
		if err != nil {
			return message{}, err
		}
		mi, err := a.store.MetricsInput(ctx, a.store.DB(), actor.WorkspaceID, scope.Owners, p, st.Currency)
		if err != nil {
			return message{}, err
		}
		r := metricsReport(pipeline.ComputeMetrics(mi), scope)
		return r.message(), nil
	})
}

func percent(f float64) string { return fmt.Sprintf("%.1f%%", f*100) }

func metricsReport(m pipeline.Metrics, scope pipeline.Scope) report {
	r := report{header: fmt.Sprintf("Metrics — %s, %s", scopeTitle(scope), m.Period.Name)}
	win := "— (nothing closed)"
	if m.HasClosed {
		win = fmt.Sprintf("%s (%d won, %d lost)", percent(m.WinRate), m.Won, m.Lost)
	}
	cycle := "—"
	if m.Won > 0 {
		cycle = fmt.Sprintf("%.1f days", m.AvgCycleDays)
	}
	churn := "— (no customers at the start)"
	if m.CustomersAtStart > 0 {
		churn = fmt.Sprintf("%s (%d of %d customers)", percent(m.ChurnRate), m.Churned, m.CustomersAtStart)
	}
	lines := []string{
		"Win rate: " + win,
		"Won: " + m.WonAmount.String(),
		"Average sales cycle: " + cycle,
		"Average deal size: " + m.AvgDealSize.String(),
		"ACV: " + m.ACV.String() + " (recurring deals won)",
		"ARR: " + m.ARR.String() + " (at the end of the period)",
		"Churn rate: " + churn,
	}
	r.sections = append(r.sections, section{title: periodDates(m.Period), lines: lines})
	if len(m.Commission) > 0 {
		s := section{title: "Commission"}
		ids := make([]string, 0, len(m.Commission))
		for id := range m.Commission {
			ids = append(ids, id)
		}
		slices.Sort(ids)
		for _, id := range ids {
			s.lines = append(s.lines, fmt.Sprintf("%s — %s", render.UserMention(id), m.Commission[id]))
		}
		r.sections = append(r.sections, s)
	}
	r.footer = strings.TrimSpace(otherCurrencies("Won", m.Other) + "\n" + otherCurrencies("ARR", m.OtherARR))
	return r
}

// pipelineDigest handles "/pipeline digest": today's digest as only the
// person sees it, over their scope.
func (a *App) pipelineDigest(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		scope, err := a.scopeFor(ctx, actor, "")
		if err != nil {
			return message{}, err
		}
		d, err := a.buildDigest(ctx, st, a.now(), scope)
		if err != nil {
			return message{}, err
		}
		if scope.Name == pipeline.ScopeTeam {
			d.Scope = actor.ID
		}
		blocks := append(DigestBlocks(d), slack.NewContextBlock("", render.Mrkdwn("Preview: only you can see this.")))
		return ephemeral(clipBytes(DigestText(d), 3000), blocks...), nil
	})
}
