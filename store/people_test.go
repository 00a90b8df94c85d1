package store_test

import (
	"errors"
	"reflect"
	"slices"
	"testing"

	"salesbot/internal/pgtest"
	"salesbot/pipeline"
	"salesbot/store"
)

func TestUsersAndTeams(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	if err := e.s.SetManager(ctx, e.db, e.team, "U0MGR", []string{"U0REP2", "U0REP1"}); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetManager(ctx, e.db, e.team, "U0MGR", []string{"U0REP3"}); err != nil { // adds to the team
		t.Fatal(err)
	}
	users, err := e.s.Users(ctx, e.db, e.team, []string{"U0MGR", "U0REP1", "U0NOBODY"})
	if err != nil {
		t.Fatal(err)
	}
	if len(users) != 2 || users["U0MGR"].Role != pipeline.RoleManager || users["U0REP1"].ManagerID != "U0MGR" {
		t.Errorf("users = %+v, want the manager and a rep, the unknown ID absent", users)
	}
	team, err := e.s.TeamOf(ctx, e.db, e.team, "U0MGR")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, u := range team {
		ids = append(ids, u.ID)
	}
	if !slices.Equal(ids, []string{"U0REP1", "U0REP2", "U0REP3"}) {
		t.Errorf("team = %v", ids)
	}
	// A rep moves to another team; an admin made manager of a team stays admin.
	if err := e.s.SetRole(ctx, e.db, e.team, "U0BOSS", pipeline.RoleAdmin); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetManager(ctx, e.db, e.team, "U0BOSS", []string{"U0REP3"}); err != nil {
		t.Fatal(err)
	}
	if team, _ := e.s.TeamOf(ctx, e.db, e.team, "U0MGR"); len(team) != 2 {
		t.Errorf("old team has %d, want 2", len(team))
	}
	if u, _ := e.s.User(ctx, e.db, e.team, "U0BOSS"); u.Role != pipeline.RoleAdmin {
		t.Errorf("admin made manager has role %s", u.Role)
	}
	if err := e.s.SetManager(ctx, e.db, e.team, "U0MGR", []string{"U0MGR"}); err == nil {
		t.Error("manager on their own team accepted")
	}

	other := setup(t)
	if users, err := other.s.Users(ctx, other.s.DB(), other.team, []string{"U0MGR"}); err != nil || len(users) != 0 {
		t.Errorf("other workspace sees %v, %v", users, err)
	}
	if team, err := other.s.TeamOf(ctx, other.s.DB(), other.team, "U0MGR"); err != nil || len(team) != 0 {
		t.Errorf("other workspace's team = %v, %v", team, err)
	}
}

func TestSetRoleAndTimezone(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	for _, role := range []string{pipeline.RoleAdmin, pipeline.RoleRep} { // up, then down
		if err := e.s.SetRole(ctx, e.db, e.team, "U0ADA", role); err != nil {
			t.Fatal(err)
		}
		if u, _ := e.s.User(ctx, e.db, e.team, "U0ADA"); u.Role != role {
			t.Errorf("role = %s, want %s", u.Role, role)
		}
	}
	if err := e.s.SetRole(ctx, e.db, e.team, "U0ADA", "king"); err == nil {
		t.Error("unknown role accepted")
	}
	if err := e.s.SetUserTimezone(ctx, e.db, e.team, "U0ADA", "Europe/Paris"); err != nil {
		t.Fatal(err)
	}
	if err := e.s.SetUserTimezone(ctx, e.db, e.team, "U0NEW", "Asia/Tokyo"); err != nil {
		t.Fatal(err)
	}
	users, _ := e.s.Users(ctx, e.db, e.team, []string{"U0ADA", "U0NEW"})
	if users["U0ADA"].Timezone != "Europe/Paris" || users["U0NEW"].Timezone != "Asia/Tokyo" || users["U0NEW"].Role != pipeline.RoleRep {
		t.Errorf("users = %+v", users)
	}

	unknown := pgtest.TeamID()
	for name, err := range map[string]error{
		"set role":     e.s.SetRole(ctx, e.db, unknown, "U0ADA", pipeline.RoleAdmin),
		"set timezone": e.s.SetUserTimezone(ctx, e.db, unknown, "U0ADA", "UTC"),
		"set manager":  e.s.SetManager(ctx, e.db, unknown, "U0MGR", []string{"U0REP1"}),
	} {
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s in an unknown workspace: err = %v, want ErrNotFound", name, err)
		}
	}
}

func TestSaveSettings(t *testing.T) {
	t.Parallel()
	e := setup(t)
	ctx := t.Context()
	want := pipeline.Settings{
		WorkspaceID: e.team, Currency: "EUR", Timezone: "Europe/Berlin",
		CelebrationChannel: "C0WIN", DigestChannel: "C0DIGEST", AlertsChannel: "C0ALERT",
		DigestTime: "07:45", WorkingDays: []int{1, 2, 3, 4}, BigDealMinor: 5_000_000,
		HandoffTimeoutMins: 120, FollowupSnoozeMins: 60, Jobs: map[string]bool{"digest": false, "stale": true},
		ResponseSLAMins: 15, WorkStartMin: 8*60 + 30, WorkEndMin: 18 * 60,
	}
	if err := e.s.SaveSettings(ctx, e.db, want); err != nil {
		t.Fatal(err)
	}
	got, err := e.s.Settings(ctx, e.db, e.team)
	if err != nil || !reflect.DeepEqual(got, want) {
		t.Errorf("settings = %+v, %v\nwant %+v", got, err, want)
	}
	bad := want
	bad.DigestTime, bad.Currency = "25:00", "GBP"
	if err := e.s.SaveSettings(ctx, e.db, bad); err == nil {
		t.Error("digest time 25:00 saved")
	}
	if got, _ := e.s.Settings(ctx, e.db, e.team); got.Currency != "EUR" {
		t.Errorf("currency %s after a refused save, want EUR", got.Currency)
	}
	other := want
	other.WorkspaceID = pgtest.TeamID()
	if err := e.s.SaveSettings(ctx, e.db, other); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown workspace: err = %v, want ErrNotFound", err)
	}

	stages := pipeline.DefaultStages()
	stages[0].StaleDays, stages[3].Probability = 3, 60
	if err := e.s.UpdateStages(ctx, e.db, e.team, stages[:4]); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.s.Stages(ctx, e.db, e.team); !reflect.DeepEqual(got, stages) {
		t.Errorf("stages = %+v\nwant %+v", got, stages)
	}
	if err := e.s.UpdateStages(ctx, e.db, e.team, []pipeline.StageDef{{Key: "lead", Label: "Lead", StaleDays: 1}, {Key: "nope", Label: "x"}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown stage: err = %v, want ErrNotFound", err)
	}
	if got, _ := e.s.Stages(ctx, e.db, e.team); got[0].StaleDays != 3 {
		t.Errorf("lead stale days %d after a refused update, want 3", got[0].StaleDays)
	}
}
