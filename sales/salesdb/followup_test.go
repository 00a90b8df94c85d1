package salesdb_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
	"salesbot/sales"
)

func (e env) followUp(n int64, actor pipeline.User, due time.Time, note, key string) sales.ScheduleFollowUp {
	return sales.ScheduleFollowUp{Team: e.team, Actor: actor, Number: n, Due: due, Note: note, IdempotencyKey: key}
}

// A follow-up is scheduled once however often its request arrives, due to
// the deal's owner even when someone else (an admin) schedules it.
func TestScheduleFollowUpOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	due := now.Add(26 * time.Hour)
	in := e.followUp(d.Number, e.user(t, "U0ADMIN"), due, "  send the <quote>  ", "view:V1")

	res, err := e.svc.ScheduleFollowUp(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Deal.Number != d.Number || res.FollowUp.OwnerID != "U0REP1" || !res.FollowUp.DueAt.Equal(due) || res.FollowUp.Note != "send the <quote>" {
		t.Errorf("deal %s, follow-up %+v; want %s's, U0REP1's, due %v, the note trimmed", res.Deal.Ref(), res.FollowUp, d.Ref(), due)
	}
	if _, err := e.svc.ScheduleFollowUp(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.count(t, `SELECT count(*) FROM follow_ups WHERE deal_id = $1 AND owner_id = 'U0REP1' AND due_at = $2 AND note = 'send the <quote>'`, d.ID, due); n != 1 {
		t.Errorf("follow-ups = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'followup' AND actor_id = 'U0ADMIN'`, d.ID); n != 1 {
		t.Errorf("follow-up history entries by U0ADMIN = %d, want 1", n)
	}
}

func TestScheduleFollowUpRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	due := now.Add(time.Hour)

	_, err := e.svc.ScheduleFollowUp(t.Context(), e.followUp(d.Number, e.user(t, "U0REP2"), due, "", "k1"))
	var f sales.ErrForbidden
	if !errors.As(err, &f) || f.Owner != "U0REP1" || !errors.Is(err, pipeline.ErrForbidden) {
		t.Errorf("another rep: err = %v, want ErrForbidden naming U0REP1", err)
	}
	_, err = e.svc.ScheduleFollowUp(t.Context(), e.followUp(999, e.user(t, "U0ADMIN"), due, "", "k2"))
	var nf sales.ErrNotFound
	if !errors.As(err, &nf) || nf.Number != 999 {
		t.Errorf("unknown deal: err = %v, want ErrNotFound for 999", err)
	}
	for _, c := range []struct {
		field string
		in    sales.ScheduleFollowUp
	}{
		{"when", e.followUp(d.Number, e.user(t, "U0REP1"), time.Time{}, "x", "k:when")},
		{"note", e.followUp(d.Number, e.user(t, "U0REP1"), due, strings.Repeat("n", pipeline.MaxNotesLen+1), "k:note")},
		{"deal", e.followUp(0, e.user(t, "U0REP1"), due, "", "k:deal")},
		{"actor", sales.ScheduleFollowUp{Team: e.team, Actor: pipeline.User{WorkspaceID: "T0OTHER", ID: "U0REP1"}, Number: d.Number, Due: due}},
	} {
		_, err := e.svc.ScheduleFollowUp(t.Context(), c.in)
		var v *sales.ValidationError
		if !errors.As(err, &v) || v.Field != c.field {
			t.Errorf("%s: err = %v, want a validation error on %s", c.field, err, c.field)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM follow_ups WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("follow-ups = %d, want 0", n)
	}
}
