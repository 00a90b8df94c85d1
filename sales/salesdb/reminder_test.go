package salesdb_test

import (
	"errors"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

// dueFollowUp schedules a follow-up on a deal of U0REP1's.
func (e env) dueFollowUp(t *testing.T) pipeline.FollowUp {
	t.Helper()
	d := e.repDeal(t)
	res, err := e.svc.ScheduleFollowUp(t.Context(), e.followUp(d.Number, e.user(t, "U0REP1"), now.Add(time.Hour), "call", "view:fu"))
	if err != nil {
		t.Fatal(err)
	}
	return res.FollowUp
}

func (e env) answer(id int64, actor pipeline.User, key string) sales.AnswerFollowUp {
	return sales.AnswerFollowUp{Team: e.team, Actor: actor, FollowUpID: id, IdempotencyKey: key}
}

func TestCompleteFollowUpOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	f := e.dueFollowUp(t)
	in := e.answer(f.ID, e.user(t, "U0REP1"), "action:done:1")

	res, err := e.svc.CompleteFollowUp(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.AlreadyDone || res.FollowUp.DoneAt == nil || res.FollowUp.ID != f.ID {
		t.Errorf("result %+v; want follow-up %d done by this request", res, f.ID)
	}
	if _, err := e.svc.CompleteFollowUp(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.count(t, `SELECT count(*) FROM follow_ups WHERE id = $1 AND done_at IS NOT NULL`, f.ID); n != 1 {
		t.Errorf("done follow-ups = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'followup' AND field = 'done'`, f.DealID); n != 1 {
		t.Errorf("done history entries = %d, want 1", n)
	}
	// Another click on the same reminder finds it done and changes nothing.
	res, err = e.svc.CompleteFollowUp(t.Context(), e.answer(f.ID, e.user(t, "U0REP1"), "action:done:2"))
	if err != nil || !res.AlreadyDone {
		t.Errorf("second click: %+v, %v; want AlreadyDone", res, err)
	}
	res, err = e.svc.SnoozeFollowUp(t.Context(), e.answer(f.ID, e.user(t, "U0REP1"), "action:snooze:3"))
	if err != nil || !res.AlreadyDone || !res.Until.IsZero() {
		t.Errorf("snooze after done: %+v, %v; want AlreadyDone and no snooze", res, err)
	}
}

func TestSnoozeFollowUpUsesWorkspaceSnooze(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	st, err := e.st.Settings(t.Context(), e.st.DB(), e.team)
	if err != nil {
		t.Fatal(err)
	}
	st.FollowupSnoozeMins = 90
	if err := e.st.SaveSettings(t.Context(), e.st.DB(), st); err != nil {
		t.Fatal(err)
	}
	f := e.dueFollowUp(t)
	in := e.answer(f.ID, e.user(t, "U0ADMIN"), "action:snooze:1")

	res, err := e.svc.SnoozeFollowUp(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := now.Add(90 * time.Minute)
	if !res.Until.Equal(want) || res.AlreadyDone {
		t.Errorf("until %v (already done %v), want %v", res.Until, res.AlreadyDone, want)
	}
	if _, err := e.svc.SnoozeFollowUp(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND field = 'snoozed_until' AND actor_id = 'U0ADMIN'`, f.DealID); n != 1 {
		t.Errorf("snooze history entries by U0ADMIN = %d, want 1", n)
	}
}

func TestAnswerFollowUpRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	f := e.dueFollowUp(t)

	_, err := e.svc.CompleteFollowUp(t.Context(), e.answer(f.ID, e.user(t, "U0REP2"), "k1"))
	var fb sales.ErrForbidden
	if !errors.As(err, &fb) || fb.Owner != "U0REP1" {
		t.Errorf("another rep completes: err = %v, want ErrForbidden naming U0REP1", err)
	}
	_, err = e.svc.SnoozeFollowUp(t.Context(), e.answer(f.ID, e.user(t, "U0REP2"), "k2"))
	if !errors.As(err, &fb) {
		t.Errorf("another rep snoozes: err = %v, want ErrForbidden", err)
	}
	_, err = e.svc.CompleteFollowUp(t.Context(), e.answer(f.ID+1000, e.user(t, "U0ADMIN"), "k3"))
	var nf sales.ErrFollowUpNotFound
	if !errors.As(err, &nf) || nf.ID != f.ID+1000 {
		t.Errorf("unknown follow-up: err = %v, want ErrFollowUpNotFound", err)
	}
	_, err = e.svc.CompleteFollowUp(t.Context(), e.answer(0, e.user(t, "U0ADMIN"), "k4"))
	var v *sales.ValidationError
	if !errors.As(err, &v) || v.Field != "follow-up" {
		t.Errorf("no id: err = %v, want a validation error on follow-up", err)
	}
	if n := e.count(t, `SELECT count(*) FROM follow_ups WHERE id = $1 AND (done_at IS NOT NULL OR snoozed_until IS NOT NULL)`, f.ID); n != 0 {
		t.Errorf("changed follow-ups = %d, want 0", n)
	}
	// A refusal keeps no key: the same request is refused again, not dropped.
	if _, err := e.svc.CompleteFollowUp(t.Context(), e.answer(f.ID, e.user(t, "U0REP2"), "k1")); !errors.As(err, &fb) {
		t.Errorf("refused request again: err = %v, want ErrForbidden", err)
	}
}

func TestSnoozeDeal(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)

	_, err := e.svc.SnoozeDeal(t.Context(), sales.SnoozeDeal{Team: e.team, Actor: e.user(t, "U0REP2"), Number: d.Number, IdempotencyKey: "k1"})
	var fb sales.ErrForbidden
	if !errors.As(err, &fb) || fb.Owner != "U0REP1" {
		t.Errorf("another rep: err = %v, want ErrForbidden naming U0REP1", err)
	}
	_, err = e.svc.SnoozeDeal(t.Context(), sales.SnoozeDeal{Team: e.team, Actor: e.user(t, "U0ADMIN"), Number: 999, IdempotencyKey: "k2"})
	var nf sales.ErrNotFound
	if !errors.As(err, &nf) || nf.Number != 999 {
		t.Errorf("unknown deal: err = %v, want ErrNotFound for 999", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND snoozed_until IS NOT NULL`, d.ID); n != 0 {
		t.Fatalf("deal snoozed by a refused request: %d, want 0", n)
	}

	in := sales.SnoozeDeal{Team: e.team, Actor: e.user(t, "U0REP1"), Number: d.Number, IdempotencyKey: "action:stale:1"}
	res, err := e.svc.SnoozeDeal(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	want := now.Add(sales.StaleSnooze)
	if res.Deal.Number != d.Number || !res.Until.Equal(want) {
		t.Errorf("snoozed %s until %v, want %s until %v", res.Deal.Ref(), res.Until, d.Ref(), want)
	}
	if _, err := e.svc.SnoozeDeal(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.count(t, `SELECT count(*) FROM deals WHERE id = $1 AND snoozed_until = $2`, d.ID, want); n != 1 {
		t.Errorf("deals snoozed until %v = %d, want 1", want, n)
	}
}
