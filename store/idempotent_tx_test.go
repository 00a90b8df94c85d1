package store_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// Each write that a command makes after claiming its key joins the
// caller's transaction: when the request fails after the write, neither the
// write nor the claim is kept, so Slack's redelivery carries it out; when it
// commits, a second claim of the key is refused.
func TestIdempotentTxTwinsCommitOrRollBackWithTheClaim(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	until := time.Date(2030, 1, 2, 3, 4, 0, 0, time.UTC)
	done, err := e.addFollowUp(t, d, pipeline.FollowUp{DealID: d.ID, Kind: "followup", DueAt: until.Add(-time.Hour)}, "U0REP1")
	if err != nil {
		t.Fatal(err)
	}
	snoozed, err := e.addFollowUp(t, d, pipeline.FollowUp{DealID: d.ID, Kind: "followup", DueAt: until.Add(-time.Hour)}, "U0REP1")
	if err != nil {
		t.Fatal(err)
	}
	away, capacity := true, 7
	writes := []struct {
		name  string
		write func(tx *sqlx.Tx) error
		done  string // a count query over the workspace that is 1 once the write committed
	}{
		{"role", func(tx *sqlx.Tx) error { return e.s.SetRole(t.Context(), tx, e.team, "U0SAM", pipeline.RoleManager) },
			`SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0SAM' AND role = 'manager'`},
		{"team", func(tx *sqlx.Tx) error { return e.s.SetManager(t.Context(), tx, e.team, "U0BOSS", []string{"U0ANN"}) },
			`SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0ANN' AND manager_id = 'U0BOSS'`},
		{"availability", func(tx *sqlx.Tx) error {
			return e.s.SetAvailability(t.Context(), tx, e.team, "U0REP1", &away, &capacity)
		}, `SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0REP1' AND away AND lead_capacity = 7`},
		{"snooze deal", func(tx *sqlx.Tx) error {
			return e.s.SnoozeDeal(t.Context(), tx, e.team, d.Number, until, "U0REP1", dbNow(t, e.db))
		}, fmt.Sprintf(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND id = %d AND snoozed_until IS NOT NULL`, d.ID)},
		{"complete follow-up", func(tx *sqlx.Tx) error {
			_, err := e.s.CompleteFollowUp(t.Context(), tx, e.team, done.ID, "U0REP1", dbNow(t, e.db))
			return err
		}, fmt.Sprintf(`SELECT count(*) FROM follow_ups WHERE workspace_id = $1 AND id = %d AND done_at IS NOT NULL`, done.ID)},
		{"snooze follow-up", func(tx *sqlx.Tx) error {
			_, err := e.s.SnoozeFollowUp(t.Context(), tx, e.team, snoozed.ID, until, "U0REP1", dbNow(t, e.db))
			return err
		}, fmt.Sprintf(`SELECT count(*) FROM follow_ups WHERE workspace_id = $1 AND id = %d AND snoozed_until IS NOT NULL`, snoozed.ID)},
		{"notify", func(tx *sqlx.Tx) error {
			return e.s.SetNotify(t.Context(), tx, e.team, "U0REP1", pipeline.NotifyPrefs{Wants: map[string]bool{pipeline.NotifyStale: false}, QuietStart: "22:00", QuietEnd: "07:00"})
		}, `SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0REP1' AND quiet_start = '22:00'`},
		{"settings", func(tx *sqlx.Tx) error {
			st, err := e.s.Settings(t.Context(), e.db, e.team)
			if err != nil {
				return err
			}
			st.AlertsChannel = "C0ALERTS"
			return e.s.SaveSettingsAndStages(t.Context(), tx, st, nil)
		}, `SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND alerts_channel = 'C0ALERTS'`},
	}
	failed := errors.New("the request failed after its write")
	for _, w := range writes {
		key := "test:" + w.name
		attempt := func(fail bool) (claimed bool, err error) {
			err = e.inTx(t, func(tx *sqlx.Tx) error {
				var err error
				if claimed, err = e.s.ClaimKey(t.Context(), tx, e.team, key); err != nil || !claimed {
					return err
				}
				if err := w.write(tx); err != nil {
					return err
				}
				if fail {
					return failed
				}
				return nil
			})
			return claimed, err
		}
		if _, err := attempt(true); !errors.Is(err, failed) {
			t.Fatalf("%s: %v", w.name, err)
		}
		if n := count(t, e.db, w.done, e.team); n != 0 {
			t.Errorf("%s: the write outlived its rolled-back transaction", w.name)
		}
		if claimed, err := attempt(false); err != nil || !claimed {
			t.Fatalf("%s: after a failure the key was not free (claimed %v, %v)", w.name, claimed, err)
		}
		if n := count(t, e.db, w.done, e.team); n != 1 {
			t.Errorf("%s: the write did not commit with its claim", w.name)
		}
		if claimed, err := attempt(false); err != nil || claimed {
			t.Errorf("%s: the key was claimed twice (%v)", w.name, err)
		}
	}
}
