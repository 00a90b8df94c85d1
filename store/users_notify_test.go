package store_test

import (
	"testing"

	"salesbot/pipeline"
)

// Recipients and Managers hand out the stored choices decoded; a value the
// domain cannot read means the defaults, every DM wanted.
func TestNotifyPrefsDecoded(t *testing.T) {
	e := setup(t)
	ctx := t.Context()
	if err := e.s.SetRole(ctx, e.db, e.team, "U0BOSS", pipeline.RoleManager); err != nil {
		t.Fatal(err)
	}
	prefs := pipeline.NotifyPrefs{Wants: map[string]bool{pipeline.NotifyDigest: false, pipeline.NotifyStale: true},
		QuietStart: "20:00", QuietEnd: "08:00"}
	if err := e.s.SetNotify(ctx, e.db, e.team, "U0BOSS", prefs); err != nil {
		t.Fatal(err)
	}
	rs, err := e.s.Recipients(ctx, e.db, e.team, []string{"U0BOSS"})
	if err != nil {
		t.Fatal(err)
	}
	got := rs["U0BOSS"].Notify
	if got.Want(pipeline.NotifyDigest) || !got.Want(pipeline.NotifyStale) || !got.Want(pipeline.NotifyClose) {
		t.Errorf("wants = %v, want digest off, stale and close-passed on", got.Wants)
	}
	if got.QuietStart != "20:00" || got.QuietEnd != "08:00" {
		t.Errorf("quiet hours %q–%q, want 20:00–08:00", got.QuietStart, got.QuietEnd)
	}
	managers, err := e.s.Managers(ctx, e.db, e.team)
	if err != nil || len(managers) != 1 || managers[0].Notify.Want(pipeline.NotifyDigest) {
		t.Errorf("managers = %+v, %v; want U0BOSS without the digest", managers, err)
	}

	if _, err := e.db.ExecContext(ctx, `UPDATE users SET notify = '{"digest": "no"}' WHERE workspace_id = $1 AND id = 'U0BOSS'`, e.team); err != nil {
		t.Fatal(err)
	}
	rs, err = e.s.Recipients(ctx, e.db, e.team, []string{"U0BOSS"})
	if err != nil {
		t.Fatal(err)
	}
	if got := rs["U0BOSS"].Notify; !got.Want(pipeline.NotifyDigest) || got.QuietStart != "20:00" {
		t.Errorf("unreadable choices = %+v, want every DM wanted and the quiet hours kept", got)
	}
}
