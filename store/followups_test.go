package store_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

func (e env) addFollowUp(t *testing.T, d pipeline.Deal, f pipeline.FollowUp, actor string) (pipeline.FollowUp, error) {
	t.Helper()
	var out pipeline.FollowUp
	err := e.inTx(t, func(tx *sqlx.Tx) error {
		var err error
		out, err = e.s.AddFollowUp(t.Context(), tx, d, f, actor, dbNow(t, e.db))
		return err
	})
	return out, err
}

func TestAddFollowUpAndNext(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	if f, err := e.s.NextFollowUp(t.Context(), e.db, e.team, d.ID); f != nil || err != nil {
		t.Fatalf("next before any = %+v, %v; want nil, nil", f, err)
	}
	later := time.Date(2026, 12, 1, 14, 30, 0, 0, time.UTC)
	sooner := later.Add(-48 * time.Hour)
	a, err := e.addFollowUp(t, d, pipeline.FollowUp{DueAt: later, Note: "send the quote"}, "U0REP1")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == 0 || a.OwnerID != d.OwnerID || a.Kind != "followup" || !a.DueAt.Equal(later) || a.DealNumber != d.Number || a.DoneAt != nil {
		t.Errorf("follow-up = %+v", a)
	}
	b, err := e.addFollowUp(t, d, pipeline.FollowUp{DueAt: sooner, OwnerID: "U0NEW"}, "U0MGR")
	if err != nil || b.OwnerID != "U0NEW" {
		t.Fatalf("follow-up for another owner = %+v, %v", b, err)
	}
	next, err := e.s.NextFollowUp(t.Context(), e.db, e.team, d.ID)
	if err != nil || next == nil || next.ID != b.ID {
		t.Errorf("next = %+v, %v; want the sooner one", next, err)
	}
	checkHistory(t, e.newHistory(t, d.ID), []string{
		"U0REP1 followup followup:  -> 2026-12-01T14:30:00Z send the quote",
		"U0MGR followup followup:  -> 2026-11-29T14:30:00Z",
	})

	other := setup(t)
	forged := d
	forged.WorkspaceID = other.team
	if _, err := other.addFollowUp(t, forged, pipeline.FollowUp{DueAt: later}, "U0EVIL"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("follow-up on another workspace's deal: err = %v, want ErrNotFound", err)
	}
	if f, err := other.s.NextFollowUp(t.Context(), other.s.DB(), other.team, d.ID); f != nil || err != nil {
		t.Errorf("other workspace's next follow-up = %+v, %v; want nil", f, err)
	}
	if n := count(t, e.db, `SELECT count(*) FROM follow_ups WHERE deal_id = $1`, d.ID); n != 2 {
		t.Errorf("follow-ups = %d, want 2", n)
	}
}

func TestCompleteFollowUpOnceUnderDoubleClick(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	f, err := e.addFollowUp(t, d, pipeline.FollowUp{DueAt: time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC), Note: "call"}, "U0REP1")
	if err != nil {
		t.Fatal(err)
	}
	const clicks = 6
	done := make([]pipeline.FollowUp, clicks)
	var wg sync.WaitGroup
	for i := range clicks {
		wg.Go(func() {
			got, err := e.s.CompleteFollowUp(t.Context(), e.db, e.team, f.ID, "U0REP1", dbNow(t, e.db))
			if err != nil {
				t.Errorf("complete: %v", err)
			}
			done[i] = got
		})
	}
	wg.Wait()
	for _, got := range done {
		if got.DoneAt == nil || !got.DoneAt.Equal(*done[0].DoneAt) || got.ID != f.ID {
			t.Errorf("completed = %+v, want all done at the same time", got)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND field = 'done'`, d.ID); n != 1 {
		t.Errorf("done history entries = %d, want 1", n)
	}
	if next, _ := e.s.NextFollowUp(t.Context(), e.db, e.team, d.ID); next != nil {
		t.Errorf("next after done = %+v, want none", next)
	}
	if _, err := e.s.CompleteFollowUp(t.Context(), e.db, setup(t).team, f.ID, "U0EVIL", dbNow(t, e.db)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("complete from another workspace: err = %v, want ErrNotFound", err)
	}
}

func TestSnoozeFollowUp(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	due := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	f, err := e.addFollowUp(t, d, pipeline.FollowUp{DueAt: due}, "U0REP1")
	if err != nil {
		t.Fatal(err)
	}
	e.exec(t, `UPDATE follow_ups SET reminded_at = now() WHERE id = $1`, f.ID)
	until := due.Add(24 * time.Hour)
	for range 2 { // the second, identical snooze changes nothing more
		got, err := e.s.SnoozeFollowUp(t.Context(), e.db, e.team, f.ID, until, "U0REP1", dbNow(t, e.db))
		if err != nil || got.SnoozedUntil == nil || !got.SnoozedUntil.Equal(until) || !got.DueAt.Equal(due) {
			t.Fatalf("snoozed = %+v, %v", got, err)
		}
	}
	if n := count(t, e.db, `SELECT count(*) FROM follow_ups WHERE id = $1 AND reminded_at IS NULL AND remind_at = $2`, f.ID, until); n != 1 {
		t.Error("snooze did not clear reminded_at and move remind_at")
	}
	checkHistory(t, e.newHistory(t, d.ID)[1:], []string{
		"U0REP1 followup snoozed_until: 2026-12-01T09:00:00Z -> 2026-12-02T09:00:00Z",
	})
	other := setup(t)
	if _, err := other.s.SnoozeFollowUp(t.Context(), other.s.DB(), other.team, f.ID, until.Add(time.Hour), "U0EVIL", dbNow(t, e.db)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("snooze from another workspace: err = %v, want ErrNotFound", err)
	}
	// Snoozing what is done changes nothing.
	if _, err := e.s.CompleteFollowUp(t.Context(), e.db, e.team, f.ID, "U0REP1", dbNow(t, e.db)); err != nil {
		t.Fatal(err)
	}
	got, err := e.s.SnoozeFollowUp(t.Context(), e.db, e.team, f.ID, until.Add(time.Hour), "U0REP1", dbNow(t, e.db))
	if err != nil || got.DoneAt == nil || !got.SnoozedUntil.Equal(until) {
		t.Errorf("snooze after done = %+v, %v; want it unchanged", got, err)
	}
}

func TestAddActivityResetsStaleness(t *testing.T) {
	t.Parallel()
	e := setup(t)
	d := mustCreate(t, e.s, newLead(e.team))
	e.exec(t, `UPDATE deals SET last_activity_at = now() - interval '30 days', stale_alerted_on = current_date WHERE id = $1`, d.ID)
	var a pipeline.Activity
	e.mustTx(t, func(tx *sqlx.Tx) error {
		var err error
		a, err = e.s.AddActivity(t.Context(), tx, d, "U0REP1", "call", "Discussed pricing", dbNow(t, e.db))
		return err
	})
	if a.ID == 0 || a.Kind != "call" || a.Body != "Discussed pricing" || a.DealID != d.ID || a.AuthorID != "U0REP1" {
		t.Errorf("activity = %+v", a)
	}
	if stale, _ := e.s.StaleDeals(t.Context(), e.db, e.team, a.CreatedAt); len(stale) != 0 {
		t.Errorf("stale after a note = %v, want none", refs(stale))
	}
	got, _ := e.s.DealByID(t.Context(), e.db, e.team, d.ID)
	if !got.LastActivityAt.Equal(a.CreatedAt) {
		t.Errorf("last activity %v, want the note's time %v", got.LastActivityAt, a.CreatedAt)
	}
	checkHistory(t, e.newHistory(t, d.ID), []string{"U0REP1 note call:  -> Discussed pricing"})

	other := setup(t)
	forged := d
	forged.WorkspaceID = other.team
	err := other.inTx(t, func(tx *sqlx.Tx) error {
		_, err := other.s.AddActivity(t.Context(), tx, forged, "U0EVIL", "", "hello", dbNow(t, e.db))
		return err
	})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("note on another workspace's deal: err = %v, want ErrNotFound", err)
	}
	// A kind the table refuses writes nothing, not even the activity time.
	before := got.LastActivityAt
	err = e.inTx(t, func(tx *sqlx.Tx) error {
		_, err := e.s.AddActivity(t.Context(), tx, d, "U0REP1", "telepathy", "hm", dbNow(t, e.db))
		return err
	})
	if err == nil {
		t.Fatal("unknown activity kind stored")
	}
	if got, _ := e.s.DealByID(t.Context(), e.db, e.team, d.ID); !got.LastActivityAt.Equal(before) {
		t.Error("failed note moved last_activity_at")
	}
	if n := count(t, e.db, `SELECT count(*) FROM activities WHERE deal_id = $1`, d.ID); n != 2 {
		t.Errorf("activities = %d, want the lead's note and the call", n)
	}
}
