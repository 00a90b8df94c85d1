package store_test

import (
	"errors"
	"reflect"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"

	"salesbot/internal/pgtest"
	"salesbot/pipeline"
	"salesbot/store"
)

func TestEnsureWorkspaceCreatesOnFirstSight(t *testing.T) {
	t.Parallel()
	db := pgtest.New(t)
	s := store.New(db)
	team := pgtest.TeamID()
	if _, err := s.Settings(t.Context(), s.DB(), team); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("settings before first sight: err = %v, want ErrNotFound", err)
	}
	defaults := pipeline.Settings{Timezone: "Europe/Berlin", Currency: "EUR", Jobs: map[string]bool{"digest": false}}
	var wg sync.WaitGroup
	results := make([]pipeline.Settings, 4)
	for i := range results {
		wg.Go(func() {
			st, err := s.EnsureWorkspace(t.Context(), s.DB(), team, defaults)
			if err != nil {
				t.Errorf("ensure workspace: %v", err)
			}
			results[i] = st
		})
	}
	wg.Wait()
	want := pipeline.Settings{
		WorkspaceID: team, Currency: "EUR", Timezone: "Europe/Berlin", DigestTime: "08:30",
		WorkingDays: []int{1, 2, 3, 4, 5}, HandoffTimeoutMins: 240, FollowupSnoozeMins: 1440,
		ResponseSLAMins: 5, WorkStartMin: 9 * 60, WorkEndMin: 17 * 60,
		Jobs: map[string]bool{"digest": false},
	}
	for _, got := range results {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("settings = %+v\nwant       %+v", got, want)
		}
	}
	// Later defaults do not overwrite what the workspace has.
	again, err := s.EnsureWorkspace(t.Context(), s.DB(), team, pipeline.Settings{Currency: "GBP"})
	if err != nil || again.Currency != "EUR" {
		t.Errorf("second ensure: currency %q err %v, want EUR kept", again.Currency, err)
	}

	stages, err := s.Stages(t.Context(), s.DB(), team)
	if err != nil {
		t.Fatalf("stages: %v", err)
	}
	if !reflect.DeepEqual(stages, pipeline.DefaultStages()) {
		t.Errorf("stages = %+v\nwant the defaults %+v", stages, pipeline.DefaultStages())
	}
}

func TestEnsureUserNeverDowngradesRole(t *testing.T) {
	t.Parallel()
	e := setup(t)
	u, err := e.s.EnsureUser(t.Context(), e.db, pipeline.User{WorkspaceID: e.team, ID: "U0ADMIN", Name: "Ada", Role: pipeline.RoleAdmin})
	if err != nil || u.Role != pipeline.RoleAdmin || u.Name != "Ada" {
		t.Fatalf("first sight = %+v, %v", u, err)
	}
	u, err = e.s.EnsureUser(t.Context(), e.db, pipeline.User{WorkspaceID: e.team, ID: "U0ADMIN", Name: "Ada L.", Timezone: "Europe/London"})
	if err != nil || u.Role != pipeline.RoleAdmin || u.Name != "Ada L." || u.Timezone != "Europe/London" {
		t.Errorf("refresh as rep = %+v, %v; want admin kept, name and timezone refreshed", u, err)
	}
	u, err = e.s.EnsureUser(t.Context(), e.db, pipeline.User{WorkspaceID: e.team, ID: "U0REP9"})
	if err != nil || u.Role != pipeline.RoleRep {
		t.Errorf("new user without role = %+v, %v; want rep", u, err)
	}
	u, err = e.s.EnsureUser(t.Context(), e.db, pipeline.User{WorkspaceID: e.team, ID: "U0REP9", Role: pipeline.RoleManager})
	if err != nil || u.Role != pipeline.RoleManager {
		t.Errorf("upgrade to manager = %+v, %v", u, err)
	}
	if _, err := e.s.EnsureUser(t.Context(), e.db, pipeline.User{WorkspaceID: e.team, ID: "U0X", Role: "boss"}); err == nil {
		t.Error("unknown role accepted")
	}
	got, err := e.s.User(t.Context(), e.db, e.team, "U0ADMIN")
	if err != nil || got.Role != pipeline.RoleAdmin {
		t.Errorf("stored user = %+v, %v", got, err)
	}
	if _, err := e.s.User(t.Context(), e.db, pgtest.TeamID(), "U0ADMIN"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("user from another workspace: err = %v, want ErrNotFound", err)
	}
}

func TestWithTxRollsBackOnError(t *testing.T) {
	t.Parallel()
	e := setup(t)
	boom := errors.New("boom")
	err := e.s.WithTx(t.Context(), func(tx *sqlx.Tx) error {
		if _, _, err := e.s.CreateLead(t.Context(), tx, newLead(e.team), dbNow(t, e.db)); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM deals WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("deals after rollback = %d, want 0", n)
	}
}
