package salesdb_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/sales"
)

// ownedLead creates an open lead of company that owner owns, worth $12,500.
func (e env) ownedLead(t *testing.T, owner, company string) pipeline.Deal {
	t.Helper()
	in := lead(e.team, owner, "view:"+company)
	in.OwnerID, in.Company = owner, company
	res, err := e.svc.CreateLead(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	return res.Deal
}

func (e env) exec(t *testing.T, query string, args ...any) {
	t.Helper()
	if _, err := e.db.ExecContext(t.Context(), query, args...); err != nil {
		t.Fatalf("%s: %v", query, err)
	}
}

// The digest of a Tuesday covers Monday's new leads and where the pipeline
// stands; a manager's covers them and their team only, and a rep's preview
// their own deals.
func TestDigestOfWorkspaceAndTeam(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	mine := e.ownedLead(t, "U0REP1", "Acme")
	e.ownedLead(t, "U0REP2", "Globex")
	monday := now.AddDate(0, 0, -1) // now is Tuesday Mar 10 2026, 10:00 UTC
	e.exec(t, `UPDATE deals SET created_at = $2 WHERE workspace_id = $1`, e.team, monday)
	e.exec(t, `UPDATE users SET manager_id = 'U0ADMIN' WHERE workspace_id = $1 AND id = 'U0REP1'`, e.team)

	d, err := e.svc.Digest(t.Context(), sales.DigestRequest{Team: e.team, Day: now})
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC); !d.Day.Equal(want) || !d.Covered.From.Equal(want.AddDate(0, 0, -1)) {
		t.Errorf("digest of %s covering %s, want Mar 10 covering Mar 9", d.Day, d.Covered.From)
	}
	if d.NewCount != 2 || len(d.NewLeads) != 2 || d.Scope != "" {
		t.Errorf("whole workspace: %d new leads (%d listed), scope %q; want 2, 2, \"\"", d.NewCount, len(d.NewLeads), d.Scope)
	}
	if total := pipeline.Sum(d.Pipeline, "USD"); total.Count != 2 || total.Amount.Minor != 2_500_000 {
		t.Errorf("open pipeline = %d deals, %s; want 2 deals, $25,000", total.Count, total.Amount)
	}
	if d.ForecastMonth.Period != "this month" || d.ForecastQuarter.Period != "this quarter" {
		t.Errorf("forecast periods %q and %q: the words are render's", d.ForecastMonth.Period, d.ForecastQuarter.Period)
	}

	team, err := e.svc.Digest(t.Context(), sales.DigestRequest{Team: e.team, Day: now, Manager: "U0ADMIN"})
	if err != nil {
		t.Fatal(err)
	}
	if team.Scope != "U0ADMIN" || team.NewCount != 1 || len(team.NewLeads) != 1 || team.NewLeads[0].Number != mine.Number {
		t.Errorf("manager's digest: scope %q, %d new leads %v; want U0ADMIN's team, only %s", team.Scope, team.NewCount, team.NewLeads, mine.Ref())
	}

	rep, err := e.svc.PreviewDigest(t.Context(), sales.ReportRequest{Team: e.team, Actor: e.user(t, "U0REP1")})
	if err != nil {
		t.Fatal(err)
	}
	if rep.NewCount != 1 || rep.NewLeads[0].Number != mine.Number || pipeline.Sum(rep.Pipeline, "USD").Count != 1 {
		t.Errorf("rep's preview: %d new leads, %d open; want their own deal only", rep.NewCount, pipeline.Sum(rep.Pipeline, "USD").Count)
	}
}

// The morning run finds each person's stale and overdue deals and a
// manager's long-idle team deals; once marked, the same day finds nothing.
func TestMorningAlertsOncePerDay(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	quiet := e.ownedLead(t, "U0REP1", "Acme")
	late := e.ownedLead(t, "U0REP2", "Globex")
	e.exec(t, `UPDATE users SET manager_id = 'U0ADMIN' WHERE workspace_id = $1 AND id = 'U0REP1'`, e.team)
	// A lead may stay idle 7 days: 20 is past twice that.
	e.exec(t, `UPDATE deals SET last_activity_at = $2 WHERE id = $1`, quiet.ID, now.AddDate(0, 0, -20))
	e.exec(t, `UPDATE deals SET last_activity_at = $2, expected_close = '2026-03-01' WHERE id = $1`, late.ID, now.AddDate(0, 0, -1))
	in := sales.AlertsRequest{Team: e.team, At: now, Day: "2026-03-10", Stale: true, Close: true}

	m, err := e.svc.MorningAlerts(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range m.People {
		if !p.Active {
			t.Errorf("%s taken as inactive", p.ID)
		}
		for _, d := range p.Stale {
			got[p.ID] += "stale " + d.Ref() + ";"
		}
		for _, d := range p.Close {
			got[p.ID] += "close " + d.Ref() + ";"
		}
		for _, d := range p.Escalated {
			got[p.ID] += "escalated " + d.Ref() + ";"
		}
	}
	want := map[string]string{"U0REP1": "stale " + quiet.Ref() + ";", "U0ADMIN": "escalated " + quiet.Ref() + ";", "U0REP2": "close " + late.Ref() + ";"}
	if len(got) != len(want) || got["U0REP1"] != want["U0REP1"] || got["U0ADMIN"] != want["U0ADMIN"] || got["U0REP2"] != want["U0REP2"] {
		t.Errorf("alerts = %v, want %v", got, want)
	}
	if !slices.Equal(m.Alerted, []int64{quiet.ID}) || !slices.Equal(m.Escalated, []int64{quiet.ID}) || !slices.Equal(m.ClosePassed, []int64{late.ID}) {
		t.Errorf("to mark: alerted %v, escalated %v, close %v", m.Alerted, m.Escalated, m.ClosePassed)
	}

	off, err := e.svc.MorningAlerts(t.Context(), sales.AlertsRequest{Team: e.team, At: now, Day: "2026-03-10"})
	if err != nil || len(off.People) != 0 {
		t.Errorf("with both alerts switched off: %+v, %v; want nothing", off.People, err)
	}

	if err := e.st.WithTx(t.Context(), func(tx *sqlx.Tx) error {
		return e.svc.MarkAlerted(t.Context(), tx, e.team, in.Day, m)
	}); err != nil {
		t.Fatal(err)
	}
	again, err := e.svc.MorningAlerts(t.Context(), in)
	if err != nil || len(again.People) != 0 {
		t.Errorf("the same day again: %+v, %v; want nothing", again.People, err)
	}
}

// A rep's export holds their deals only and is delivered once per request;
// one past the limit delivers nothing and leaves the request free to retry.
func TestExportDealsScopeLimitAndKey(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	e.ownedLead(t, "U0REP1", "Acme")
	e.ownedLead(t, "U0REP2", "Globex")
	var delivered []string
	deliver := func(_ context.Context, x sales.ExportedDeals) error {
		delivered = append(delivered, x.CSV.String())
		return nil
	}
	rep := sales.ExportDeals{ReportRequest: sales.ReportRequest{Team: e.team, Actor: e.user(t, "U0REP1")}, Limit: 10, IdempotencyKey: "slash:export:1"}
	res, err := e.svc.ExportDeals(t.Context(), rep, deliver)
	if err != nil {
		t.Fatal(err)
	}
	if res.Count != 1 || len(delivered) != 1 || !strings.Contains(delivered[0], "Acme") || strings.Contains(delivered[0], "Globex") {
		t.Errorf("rep's export: %d deals, delivered %q; want Acme's only, once", res.Count, delivered)
	}
	if _, err := e.svc.ExportDeals(t.Context(), rep, deliver); !errors.Is(err, sales.ErrDuplicate) || len(delivered) != 1 {
		t.Errorf("the same request again: %v, %d deliveries; want ErrDuplicate and none more", err, len(delivered))
	}

	all := sales.ExportDeals{ReportRequest: sales.ReportRequest{Team: e.team, Actor: e.user(t, "U0ADMIN"), Scope: pipeline.ScopeAll}, Limit: 1, IdempotencyKey: "slash:export:2"}
	if _, err := e.svc.ExportDeals(t.Context(), all, deliver); !errors.As(err, new(sales.ErrTooManyToExport)) || len(delivered) != 1 {
		t.Errorf("two deals past a limit of one: %v, %d deliveries; want ErrTooManyToExport and nothing delivered", err, len(delivered))
	}
	all.Limit = 0
	if res, err := e.svc.ExportDeals(t.Context(), all, deliver); err != nil || res.Count != 2 || len(delivered) != 2 {
		t.Errorf("the refused request retried without a limit: %d deals, %v; want both", res.Count, err)
	}
}
