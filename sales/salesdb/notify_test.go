package salesdb_test

import (
	"errors"
	"testing"

	"salesbot/pipeline"
	"salesbot/sales"
	"salesbot/store"
)

func (e env) recipient(t *testing.T, id string) store.Recipient {
	t.Helper()
	rs, err := e.st.Recipients(t.Context(), e.st.DB(), e.team, []string{id})
	if err != nil {
		t.Fatal(err)
	}
	return rs[id]
}

// A person's choices are saved once per request key.
func TestSetNotifyOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	in := sales.SetNotify{Team: e.team, Actor: e.user(t, "U0REP1"), Wants: map[string]bool{pipeline.NotifyDigest: false, pipeline.NotifyStale: true},
		QuietStart: "20:00", QuietEnd: "08:00", IdempotencyKey: "view:N1"}

	if err := e.svc.SetNotify(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	r := e.recipient(t, "U0REP1")
	if r.Notify.Want(pipeline.NotifyDigest) || !r.Notify.Want(pipeline.NotifyStale) {
		t.Errorf("notify = %v, want digest off and stale on", r.Notify.Wants)
	}
	if r.Notify.QuietStart != "20:00" || r.Notify.QuietEnd != "08:00" {
		t.Errorf("quiet hours %q–%q, want 20:00–08:00", r.Notify.QuietStart, r.Notify.QuietEnd)
	}
	in.QuietStart, in.QuietEnd = "", ""
	if err := e.svc.SetNotify(t.Context(), in); !errors.Is(err, sales.ErrDuplicate) {
		t.Errorf("same key again: err = %v, want ErrDuplicate", err)
	}
	if r := e.recipient(t, "U0REP1"); r.Notify.QuietStart != "20:00" {
		t.Errorf("quiet hours after the repeat start %q, want still 20:00", r.Notify.QuietStart)
	}
}

// Half a quiet-hours range, or someone of another workspace, is refused
// with nothing written.
func TestSetNotifyRefusals(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	rep := e.user(t, "U0REP1")
	stranger := rep
	stranger.WorkspaceID = "T0ELSEWHERE"
	for _, c := range []struct {
		in    sales.SetNotify
		field string
	}{
		{sales.SetNotify{Team: e.team, Actor: rep, QuietStart: "20:00", IdempotencyKey: "k1"}, "quiet_hours"},
		{sales.SetNotify{Team: e.team, Actor: stranger, IdempotencyKey: "k2"}, "actor"},
	} {
		err := e.svc.SetNotify(t.Context(), c.in)
		var v *sales.ValidationError
		if !errors.As(err, &v) || v.Field != c.field {
			t.Errorf("%+v: err = %v, want a validation error on %s", c.in, err, c.field)
		}
	}
	if r := e.recipient(t, "U0REP1"); r.Notify.QuietStart != "" || r.Notify.QuietEnd != "" {
		t.Errorf("quiet hours %q–%q, want none", r.Notify.QuietStart, r.Notify.QuietEnd)
	}
	if n := e.count(t, `SELECT count(*) FROM handled_keys WHERE workspace_id = $1`, e.team); n != 0 {
		t.Errorf("keys claimed = %d, want 0", n)
	}
}

// The choices read back as they were saved; someone who never chose gets
// the defaults (every DM on, no quiet hours).
func TestNotifyChoicesReadBack(t *testing.T) {
	t.Parallel()
	e := setup(t, directory{})
	rep := e.user(t, "U0REP1")
	if err := e.svc.SetNotify(t.Context(), sales.SetNotify{Team: e.team, Actor: rep, Wants: map[string]bool{pipeline.NotifyDigest: false},
		QuietStart: "21:30", QuietEnd: "07:00", IdempotencyKey: "view:N1"}); err != nil {
		t.Fatal(err)
	}
	c, err := e.svc.NotifyChoices(t.Context(), rep)
	if err != nil {
		t.Fatal(err)
	}
	if on, ok := c.Wants[pipeline.NotifyDigest]; !ok || on || c.QuietStart != "21:30" || c.QuietEnd != "07:00" {
		t.Errorf("choices %+v, want the digest off and quiet hours 21:30–07:00", c)
	}
	c, err = e.svc.NotifyChoices(t.Context(), e.user(t, "U0REP2"))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Wants) != 0 || c.QuietStart != "" || c.QuietEnd != "" {
		t.Errorf("choices of someone who never chose: %+v, want none (the defaults)", c)
	}
}
