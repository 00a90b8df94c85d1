package salesdb_test

import (
	"errors"
	"strings"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
)

func (e env) note(n int64, actor pipeline.User, kind, body, key string) sales.AddNote {
	return sales.AddNote{Team: e.team, Actor: actor, Number: n, Kind: kind, Body: body, IdempotencyKey: key}
}

// An activity is logged once however often its request arrives, with its
// history, and the deal's last activity moves to now.
func TestAddNoteLogsOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)
	in := e.note(d.Number, e.user(t, "U0REP1"), "call", "  Spoke to Jane about <budget>  ", "slash:note:1")

	res, err := e.svc.AddNote(t.Context(), in)
	if err != nil {
		t.Fatal(err)
	}
	if res.Activity.Kind != "call" || res.Activity.Body != "Spoke to Jane about <budget>" || res.Activity.AuthorID != "U0REP1" {
		t.Errorf("activity = %+v, want U0REP1's call, trimmed", res.Activity)
	}
	if res.Deal.Number != d.Number || !res.Deal.LastActivityAt.Equal(now) {
		t.Errorf("deal %s, last activity %v; want %s at %v", res.Deal.Ref(), res.Deal.LastActivityAt, d.Ref(), now)
	}
	if _, err := e.svc.AddNote(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if n := e.count(t, `SELECT count(*) FROM activities WHERE deal_id = $1`, d.ID); n != 1 {
		t.Errorf("activities = %d, want 1", n)
	}
	if n := e.count(t, `SELECT count(*) FROM deal_history WHERE deal_id = $1 AND action = 'note' AND field = 'call' AND actor_id = 'U0REP1'`, d.ID); n != 1 {
		t.Errorf("note history entries = %d, want 1", n)
	}
}

func TestAddNoteRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	d := e.repDeal(t)

	_, err := e.svc.AddNote(t.Context(), e.note(d.Number, e.user(t, "U0REP2"), "note", "mine now", "k1"))
	var f sales.ErrForbidden
	if !errors.As(err, &f) || f.Owner != "U0REP1" {
		t.Errorf("another rep: err = %v, want ErrForbidden naming U0REP1", err)
	}
	_, err = e.svc.AddNote(t.Context(), e.note(999, e.user(t, "U0ADMIN"), "note", "x", "k2"))
	var nf sales.ErrNotFound
	if !errors.As(err, &nf) || nf.Number != 999 {
		t.Errorf("unknown deal: err = %v, want ErrNotFound for 999", err)
	}
	for _, c := range []struct{ field, kind, body string }{
		{"kind", "lunch", "x"},
		{"body", "note", "   "},
		{"body", "note", strings.Repeat("n", pipeline.MaxNotesLen+1)},
	} {
		_, err := e.svc.AddNote(t.Context(), e.note(d.Number, e.user(t, "U0REP1"), c.kind, c.body, "k:"+c.field))
		var v *sales.ValidationError
		if !errors.As(err, &v) || v.Field != c.field {
			t.Errorf("kind %q, body of %d: err = %v, want a validation error on %s", c.kind, len(c.body), err, c.field)
		}
	}
	if n := e.count(t, `SELECT count(*) FROM activities WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("activities = %d, want 0", n)
	}
}
