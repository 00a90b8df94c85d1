package store_test

import (
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// The times the domain compares are the caller's, not the database's: a
// lead created, noted and won on a pinned day far from today is new, busy,
// stale and closed on that day, whatever the database's clock says.
func TestTimesComeFromTheCaller(t *testing.T) {
	e := setup(t)
	ctx := t.Context()
	created := time.Date(2031, 3, 3, 9, 0, 0, 0, time.UTC)
	d, _, err := e.s.CreateLead(ctx, e.db, newLead(e.team), created)
	if err != nil {
		t.Fatal(err)
	}
	if !d.CreatedAt.Equal(created) || !d.LastActivityAt.Equal(created) {
		t.Errorf("created %v, last activity %v; want both %v", d.CreatedAt, d.LastActivityAt, created)
	}
	day := pipeline.Period{From: created.Add(-time.Hour), To: created.Add(time.Hour)}
	if _, n, err := e.s.NewDeals(ctx, e.db, e.team, nil, day, 10); err != nil || n != 1 {
		t.Errorf("new deals on the pinned day = %d (%v), want 1", n, err)
	}
	if stale, err := e.s.StaleDeals(ctx, e.db, e.team, created.Add(8*24*time.Hour)); err != nil || len(stale) != 1 {
		t.Errorf("stale a week and a day later = %d (%v), want the lead", len(stale), err)
	}

	noted := created.Add(24 * time.Hour)
	won := created.Add(48 * time.Hour)
	err = e.s.WithTx(ctx, func(tx *sqlx.Tx) error {
		if _, err := e.s.AddActivity(ctx, tx, d, "U0REP1", "call", "Spoke to Jane", noted); err != nil {
			return err
		}
		d, err = e.s.ApplyStageChange(ctx, tx, e.lockDeal(t, tx, d), pipeline.StageChange{From: pipeline.StageLead, To: pipeline.StageWon}, "U0REP1", won)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if d.ClosedAt == nil || !d.ClosedAt.Equal(won) || !d.LastActivityAt.Equal(won) {
		t.Errorf("closed %v, last activity %v; want both %v", d.ClosedAt, d.LastActivityAt, won)
	}
	closed, err := e.s.ClosedIn(ctx, e.db, e.team, nil, pipeline.Period{From: won.Add(-time.Hour), To: won.Add(time.Hour)}, 10)
	if err != nil || len(closed) != 1 {
		t.Errorf("closed on the pinned day = %d (%v), want 1", len(closed), err)
	}
	history, err := e.s.History(ctx, e.db, e.team, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, h := range history {
		if h.CreatedAt.Before(created) || h.CreatedAt.After(won) {
			t.Errorf("history %s at %v, want between %v and %v", h.Action, h.CreatedAt, created, won)
		}
	}
	err = e.s.WithTx(ctx, func(tx *sqlx.Tx) error {
		for _, at := range []struct {
			now  time.Time
			want int
		}{{noted.Add(24 * time.Hour), 2}, {noted.Add(31 * 24 * time.Hour), 0}} { // the lead's note and the call
			in, err := e.s.ScoreInputs(ctx, tx, e.team, d.ID, at.now)
			if err != nil {
				return err
			}
			if len(in) != 1 || in[0].Activities30d != at.want {
				t.Errorf("recent activities at %v = %+v, want %d", at.now, in, at.want)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
