package store_test

import (
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/store"
)

func TestSeedDemoFillsEveryStageAndAddsOnASecondRun(t *testing.T) {
	t.Parallel()
	e := setup(t)
	people := []store.DemoPerson{
		{ID: "U01ADMIN", Name: "alex", Role: pipeline.RoleAdmin, Timezone: "America/New_York"},
		{ID: "U02MGR", Name: "maria", Role: pipeline.RoleManager, Timezone: "America/Chicago"},
		{ID: "U03REP", Name: "sam", Role: pipeline.RoleRep, Timezone: "America/Los_Angeles", ManagerID: "U02MGR"},
		{ID: "U04REP", Name: "priya", Role: pipeline.RoleRep, Timezone: "Europe/London", ManagerID: "U02MGR"},
	}
	now := time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC)
	sum, err := e.s.SeedDemo(t.Context(), e.db, e.team, people, pipeline.Settings{}, now)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Deals < 30 || sum.Won == 0 || sum.Lost == 0 || sum.Open == 0 || sum.Activities == 0 || sum.FollowUps == 0 {
		t.Errorf("summary = %+v", sum)
	}
	var stages []string
	if err := e.db.Select(&stages, `SELECT DISTINCT stage FROM deals WHERE workspace_id = $1 ORDER BY stage`, e.team); err != nil {
		t.Fatal(err)
	}
	if len(stages) != 7 {
		t.Errorf("stages with deals = %v, want all 7", stages)
	}
	var oldest time.Time
	if err := e.db.Get(&oldest, `SELECT min(created_at) FROM deals WHERE workspace_id = $1`, e.team); err != nil {
		t.Fatal(err)
	}
	if age := now.Sub(oldest); age < 60*24*time.Hour || age > 121*24*time.Hour {
		t.Errorf("oldest deal is %v old, want within the last 120 days and spread over them", age)
	}
	var moves, late int
	e.db.Get(&moves, `SELECT count(*) FROM deal_history WHERE workspace_id = $1 AND action = 'stage' AND field = 'stage'`, e.team)
	e.db.Get(&late, `SELECT count(*) FROM deal_history WHERE workspace_id = $1 AND created_at > $2`, e.team, now)
	if moves == 0 || late != 0 {
		t.Errorf("stage moves = %d, history rows after now = %d", moves, late)
	}
	var manager string
	e.db.Get(&manager, `SELECT manager_id FROM users WHERE workspace_id = $1 AND id = 'U03REP'`, e.team)
	if manager != "U02MGR" {
		t.Errorf("sam's manager = %q", manager)
	}
	// A second run adds to the deals there, numbered on from them.
	again, err := e.s.SeedDemo(t.Context(), e.db, e.team, people, pipeline.Settings{}, now)
	if err != nil {
		t.Fatalf("second seed: %v", err)
	}
	var deals, numbers int
	e.db.Get(&deals, `SELECT count(*) FROM deals WHERE workspace_id = $1`, e.team)
	e.db.Get(&numbers, `SELECT count(DISTINCT number) FROM deals WHERE workspace_id = $1`, e.team)
	if deals != sum.Deals+again.Deals || numbers != deals {
		t.Errorf("after two seeds: %d deals with %d numbers, want %d + %d, all numbered apart", deals, numbers, sum.Deals, again.Deals)
	}

	if err := e.s.EmptyWorkspace(t.Context(), e.db, e.team); err != nil {
		t.Fatal(err)
	}
	var left int
	e.db.Get(&left, `SELECT (SELECT count(*) FROM deals WHERE workspace_id = $1) + (SELECT count(*) FROM accounts WHERE workspace_id = $1)
		+ (SELECT count(*) FROM follow_ups WHERE workspace_id = $1)`, e.team)
	if left != 0 {
		t.Errorf("%d deals, accounts and follow-ups left after EmptyWorkspace", left)
	}
	if !hasUser(t, e, e.team, "U03REP") {
		t.Error("EmptyWorkspace deleted the people too")
	}
}

// A run that fails part-way writes nothing: before, the workspace, the
// people and their roles were written ahead of the deals' transaction.
func TestSeedDemoThatFailsWritesNothing(t *testing.T) {
	t.Parallel()
	e := setup(t)
	team := e.team + "X"
	people := []store.DemoPerson{
		{ID: "U01ADMIN", Name: "alex", Role: pipeline.RoleAdmin, Timezone: "America/New_York"},
		{ID: "U02MGR", Name: "maria", Role: pipeline.RoleManager, Timezone: "America/Chicago"},
		{ID: "U03REP", Name: "sam", Role: "boss", Timezone: "America/Los_Angeles"},
	}
	_, err := e.s.SeedDemo(t.Context(), e.db, team, people, pipeline.Settings{}, time.Date(2026, 6, 15, 12, 0, 0, 0, time.UTC))
	if err == nil {
		t.Fatal("a seed with an unknown role succeeded")
	}
	var rows int
	e.db.Get(&rows, `SELECT (SELECT count(*) FROM workspaces WHERE id = $1) + (SELECT count(*) FROM users WHERE workspace_id = $1)`, team)
	if rows != 0 {
		t.Errorf("the failed seed left %d workspace and user rows, want none", rows)
	}
}

func hasUser(t *testing.T, e env, team, id string) bool {
	t.Helper()
	var n int
	if err := e.db.Get(&n, `SELECT count(*) FROM users WHERE workspace_id = $1 AND id = $2`, team, id); err != nil {
		t.Fatal(err)
	}
	return n == 1
}
