package store_test

import (
	"errors"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// routeOnce routes one lead in its own transaction, as lead creation does.
func (e env) routeOnce(t *testing.T, in pipeline.RouteInput) (string, error) {
	var got string
	err := e.s.WithTx(t.Context(), func(tx *sqlx.Tx) error {
		if err := e.s.LockRouting(t.Context(), tx, e.team); err != nil {
			return err
		}
		rules, err := e.s.RoutingRules(t.Context(), tx, e.team)
		if err != nil {
			return err
		}
		reps, err := e.s.RoutingReps(t.Context(), tx, e.team)
		if err != nil {
			return err
		}
		choices := pipeline.Route(in, rules, reps)
		if len(choices) == 0 {
			return errors.New("no rep")
		}
		got = choices[0].RepID
		return e.s.MarkRoutedTo(t.Context(), tx, e.team, got)
	})
	return got, err
}

func (e env) reps(t *testing.T, ids ...string) {
	t.Helper()
	for _, id := range ids {
		if _, err := e.s.EnsureUser(t.Context(), e.db, pipeline.User{WorkspaceID: e.team, ID: id}); err != nil {
			t.Fatal(err)
		}
	}
}

// Leads routed at the same moment go to different reps, and every rep gets
// one before anyone gets a second.
func TestRoutingConcurrentFairness(t *testing.T) {
	t.Parallel()
	e := setup(t)
	reps := []string{"U0R1", "U0R2", "U0R3", "U0R4", "U0R5"}
	e.reps(t, reps...)
	for round := range 3 {
		var wg sync.WaitGroup
		got := make([]string, len(reps))
		errs := make([]error, len(reps))
		start := make(chan struct{})
		for i := range reps {
			wg.Go(func() {
				<-start
				got[i], errs[i] = e.routeOnce(t, pipeline.RouteInput{})
			})
		}
		close(start)
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		slices.Sort(got)
		if !slices.Equal(got, reps) {
			t.Fatalf("round %d: %d concurrent leads went to %v, want one each to %v", round, len(reps), got, reps)
		}
	}
}

func TestRoutingRepsCapacityAwayRules(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.reps(t, "U0R1", "U0R2", "U0MGR")
	if err := e.s.SetRole(t.Context(), e.db, e.team, "U0MGR", pipeline.RoleManager); err != nil {
		t.Fatal(err)
	}
	away, capacity := true, 1
	if err := e.s.SetAvailability(t.Context(), e.db, e.team, "U0R2", &away, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetAvailability(t.Context(), e.db, e.team, "U0R1", nil, &capacity); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetAvailability(t.Context(), e.db, "T0NOPE", "U0R1", nil, &capacity); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown workspace: %v", err)
	}
	mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.CreatedBy = "U0R1" }))
	err := e.s.WithTx(t.Context(), func(tx *sqlx.Tx) error {
		reps, err := e.s.RoutingReps(t.Context(), tx, e.team)
		if err != nil {
			return err
		}
		byID := map[string]pipeline.Rep{}
		for _, r := range reps {
			byID[r.ID] = r
		}
		if r := byID["U0R1"]; r.Capacity != 1 || r.OpenLeads != 1 || r.Away {
			t.Errorf("U0R1 = %+v", r)
		}
		if r := byID["U0R2"]; !r.Away || r.OpenLeads != 0 {
			t.Errorf("U0R2 = %+v", r)
		}
		if got := pipeline.Route(pipeline.RouteInput{}, nil, reps); len(got) != 0 {
			t.Errorf("route with everyone away or full = %v", got)
		}
		rules := []pipeline.RoutingRule{{Industry: "Software", To: "U0MGR"}}
		if err := e.s.SaveRoutingRules(t.Context(), tx, e.team, rules); err != nil {
			return err
		}
		back, err := e.s.RoutingRules(t.Context(), tx, e.team)
		if !slices.Equal(back, rules) {
			t.Errorf("rules = %v, %v", back, err)
		}
		return e.s.MarkDeactivated(t.Context(), tx, e.team, "U0MGR")
	})
	if err != nil {
		t.Fatal(err)
	}
	if u, _ := e.s.User(t.Context(), e.db, e.team, "U0MGR"); !u.Deactivated {
		t.Error("U0MGR not marked deactivated")
	}
}

func TestScoreStorage(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	err := e.s.WithTx(t.Context(), func(tx *sqlx.Tx) error {
		if err := e.s.SaveICP(t.Context(), tx, e.team, pipeline.ICP{Industries: []string{"software"}}); err != nil {
			return err
		}
		q := pipeline.Qualification{BudgetConfirmed: true, Authority: pipeline.AuthorityInfluencer, Timing: pipeline.TimingUnknown}
		if err := e.s.SaveQualification(t.Context(), tx, d, q, "budget confirmed", "U0REP1", dbNow(t, e.db)); err != nil {
			return err
		}
		// The qualification's activity, stamped by the database, an hour before now.
		if _, err := tx.ExecContext(t.Context(), `UPDATE activities SET created_at = $2 WHERE deal_id = $1`, d.ID, now.Add(-time.Hour)); err != nil {
			return err
		}
		ins, err := e.s.ScoreInputs(t.Context(), tx, e.team, d.ID, now)
		if err != nil {
			return err
		}
		if len(ins) != 1 || ins[0].Qualification == nil || !ins[0].Qualification.BudgetConfirmed ||
			ins[0].Industry != "Software" || ins[0].Activities30d != 1 || ins[0].Value.Minor != 1_250_000 {
			t.Errorf("inputs = %+v", ins)
		}
		all, err := e.s.ScoreInputs(t.Context(), tx, e.team, 0, now)
		if len(all) != 1 {
			t.Errorf("open deals' inputs = %d, %v", len(all), err)
		}
		icp, err := e.s.ICP(t.Context(), tx, e.team)
		if err != nil {
			return err
		}
		n, reasons := pipeline.Score(ins[0].ScoreInput, icp)
		return e.s.SetScores(t.Context(), tx, e.team, []store.Score{{DealID: d.ID, Score: n, Reasons: reasons}})
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := e.s.DealByNumber(t.Context(), e.db, e.team, d.Number)
	want := []string{"+15 budget confirmed", "+10 influencer", "+5 value estimated", "+10 industry fits (Software)", "+3 some engagement (1 in 30 days)", "+5 warm source (referral)"}
	if err != nil || got.Score != 48 || !slices.Equal(got.ScoreReasons, want) {
		t.Errorf("deal score = %d %q, %v; want 48 %q", got.Score, got.ScoreReasons, err, want)
	}
	if n := count(t, e.db, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'qualified'`, d.ID); n != 1 {
		t.Errorf("qualified history entries = %d", n)
	}
}

func TestExpireHandoff(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.OwnerID = "U0REP2" })) // pending with U0REP2
	offered := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	if _, err := e.db.ExecContext(t.Context(), `UPDATE deals SET handoff_offered_at = $2 WHERE id = $1`, d.ID, offered); err != nil {
		t.Fatal(err)
	}
	if n, _ := e.s.ExpiredHandoffs(t.Context(), e.db, e.team, offered.Add(-time.Hour), 10); len(n) != 0 {
		t.Errorf("fresh offer counted as expired: %v", n)
	}
	cutoff := offered.Add(time.Hour)
	n, err := e.s.ExpiredHandoffs(t.Context(), e.db, e.team, cutoff, 10)
	if err != nil || len(n) != 1 || n[0].Number != d.Number {
		t.Fatalf("expired = %v, %v", n, err)
	}
	expire := func() (string, error) {
		var owner string
		err := e.inTx(t, func(tx *sqlx.Tx) error {
			var err error
			owner, err = e.s.ExpireHandoff(t.Context(), tx, e.lockDeal(t, tx, d), cutoff, dbNow(t, e.db))
			return err
		})
		return owner, err
	}
	if owner, err := expire(); err != nil || owner != "U0REP2" {
		t.Fatalf("expire = %q, %v", owner, err)
	}
	if s := e.handoffState(t, d.ID); s != "none - U0REP2 offered" {
		t.Errorf("after expiry: %q", s)
	}
	if _, err := expire(); !errors.Is(err, store.ErrNotPending) {
		t.Errorf("second expiry: %v", err)
	}
}

// RouteNext, the one statement routing runs under the lock, chooses as
// pipeline.Route does over the people RoutingReps reads: rules in order
// (a rep, a manager's team), then round-robin among reps, skipping away,
// full and excluded people, and records each choice for the next.
func TestRouteNextChoosesAsPipelineRoute(t *testing.T) {
	t.Parallel()
	e := setup(t)
	e.reps(t, "U0A", "U0B", "U0C", "U0D", "U0E", "U0F", "U0MGR", "U0ADM")
	ctx := t.Context()
	if err := e.s.SetRole(ctx, e.db, e.team, "U0MGR", pipeline.RoleManager); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetRole(ctx, e.db, e.team, "U0ADM", pipeline.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetManager(ctx, e.db, e.team, "U0MGR", []string{"U0B", "U0C"}); err != nil {
		t.Fatal(err)
	}
	away, capacity := true, 1
	if err := e.s.SetAvailability(ctx, e.db, e.team, "U0D", &away, nil); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetAvailability(ctx, e.db, e.team, "U0E", nil, &capacity); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.CreatedBy = "U0E" })) // U0E is full
	rules := []pipeline.RoutingRule{
		{Industry: "Retail", To: "U0D"},                 // away: falls through
		{Industry: "Software", To: "U0MGR", Team: true}, // U0B and U0C in turn
		{Territory: "EMEA", To: "U0ADM"},                // an admin, by name
	}
	if err := e.s.SaveRoutingRules(ctx, e.db, e.team, rules); err != nil {
		t.Fatal(err)
	}
	inputs := []pipeline.RouteInput{
		{}, {}, {}, {}, // every rep routed once: rules must beat who waited longest
		{Industry: "Software"}, {Industry: "software"}, {Industry: "Software", Exclude: []string{"U0B", "U0C"}},
		{Territory: "EMEA"}, {Industry: "Retail"}, {}, {}, {}, {Exclude: []string{"U0A"}}, {Industry: "Software"},
		{Territory: "EMEA", Exclude: []string{"U0ADM"}}, {}, {},
	}
	for i, in := range inputs {
		err := e.s.WithTx(ctx, func(tx *sqlx.Tx) error {
			if err := e.s.LockRouting(ctx, tx, e.team); err != nil {
				return err
			}
			reps, err := e.s.RoutingReps(ctx, tx, e.team)
			if err != nil {
				return err
			}
			want := pipeline.Route(in, rules, reps)
			rep, rule, err := e.s.RouteNext(ctx, tx, e.team, in, rules)
			if len(want) == 0 {
				if !errors.Is(err, store.ErrNotFound) {
					t.Errorf("lead %d (%+v): RouteNext = %s, %v; want ErrNotFound", i, in, rep, err)
				}
				return nil
			}
			if err != nil {
				return err
			}
			if got := pipeline.ChoiceReason(rules, rule); rep != want[0].RepID || got != want[0].Reason {
				t.Errorf("lead %d (%+v): RouteNext = %s (%s), pipeline.Route = %s (%s)", i, in, rep, got, want[0].RepID, want[0].Reason)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	var routed []string
	if err := e.db.SelectContext(ctx, &routed, `SELECT id FROM users WHERE workspace_id = $1 AND last_routed_at IS NOT NULL ORDER BY id`, e.team); err != nil {
		t.Fatal(err)
	}
	if want := []string{"U0A", "U0ADM", "U0B", "U0C", "U0F"}; !slices.Equal(routed, want) {
		t.Errorf("people routed to: %v, want %v (never the away, full or manager)", routed, want)
	}
}
