package store_test

import (
	"testing"
	"time"

	"salesbot/pipeline"
)

// Check-ins were due at 09:00 in the workspace's timezone: 06:00 for a rep in
// Los Angeles in a New York workspace. They are due at 09:00 in the owner's
// own timezone, and in the workspace's when the owner's is not one Postgres
// knows.
func TestCheckinsAreDueAtNineInTheOwnersZone(t *testing.T) {
	t.Parallel()
	e := setup(t)
	st, err := e.s.Settings(t.Context(), e.db, e.team)
	if err != nil {
		t.Fatal(err)
	}
	st.Timezone = "America/New_York"
	if err := e.s.SaveSettings(t.Context(), e.db, st); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ owner, tz, want string }{
		{"U0LAREP", "America/Los_Angeles", "America/Los_Angeles"},
		{"U0ODDTZ", "Mars/Olympus_Mons", "America/New_York"},
		{"U0NOTZ", "", "America/New_York"},
	} {
		d := mustCreate(t, e.s, newLead(e.team, func(l *pipeline.NewLead) { l.OwnerID = c.owner }))
		if _, err := e.db.ExecContext(t.Context(), `UPDATE users SET timezone = $3 WHERE workspace_id = $1 AND id = $2`, e.team, c.owner, c.tz); err != nil {
			t.Fatal(err)
		}
		d = e.mustMove(t, d, pipeline.Move{To: pipeline.StageWon}, "U0MGR")
		loc, _ := time.LoadLocation(c.want)
		closed := d.ClosedAt.In(loc)
		f, err := e.s.NextFollowUp(t.Context(), e.db, e.team, d.ID)
		if err != nil || f == nil {
			t.Fatalf("%s: next follow-up = %v, %v", c.owner, f, err)
		}
		want := time.Date(closed.Year(), closed.Month(), closed.Day()+7, 9, 0, 0, 0, loc)
		if f.Kind != "checkin" || !f.DueAt.Equal(want) {
			t.Errorf("%s (timezone %q): first check-in %s due %v, want %v (09:00 in %s)", c.owner, c.tz, f.Kind, f.DueAt, want, c.want)
		}
	}
}
