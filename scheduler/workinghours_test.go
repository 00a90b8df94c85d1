package scheduler_test

import (
	"testing"
	"time"

	"salesbot/pipeline"
)

// scheduledAt is when each outbox message of kind to channel may be sent.
func (e *env) scheduledAt(kind, channel string) []time.Time {
	e.t.Helper()
	var at []time.Time
	err := e.db.SelectContext(e.t.Context(), &at, `
		SELECT scheduled_at FROM river_job
		WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'kind' = $2 AND args->>'channel' = $3
		ORDER BY id`, e.team, kind, channel)
	if err != nil {
		e.t.Fatal(err)
	}
	return at
}

// Check-ins and morning alerts came at 09:00 in the workspace's timezone,
// 06:00 for a rep in Los Angeles. A DM addressed to one person arrives
// within the working hours in their own timezone; a rep in the workspace's
// zone gets it at once.
func TestPersonalJobsWaitForTheRecipientsWorkingHours(t *testing.T) {
	t.Parallel()
	e := setup(t, 1, pipeline.Settings{Timezone: "America/New_York", WorkingDays: []int{1, 2, 3, 4, 5},
		Jobs: map[string]bool{"digest": false, "leaderboard": false}})
	e.clock.Set(utc("2027-01-04T14:00:00Z")) // a Monday
	la, ny := e.deal("U0LA", "Acme"), e.deal("U0NY", "Globex")
	e.exec(`UPDATE users SET timezone = 'America/Los_Angeles' WHERE workspace_id = $1 AND id = 'U0LA'`, e.team)
	e.exec(`UPDATE users SET timezone = 'America/New_York' WHERE workspace_id = $1 AND id = 'U0NY'`, e.team)

	// Tuesday 09:00 in New York is 06:00 in Los Angeles: the morning run is
	// due, both deals are idle past a lead's 7 days, and a check-in is due.
	at := utc("2027-01-12T14:00:00Z")
	for _, d := range []pipeline.Deal{la, ny} {
		if _, err := e.addFollowUp(d, pipeline.FollowUp{DueAt: at, Kind: "checkin"}); err != nil {
			t.Fatal(err)
		}
	}
	e.tick(at)

	laMorning := utc("2027-01-12T17:00:00Z") // 09:00 PST
	for _, kind := range []string{"followup_reminder", "alerts"} {
		if got := e.scheduledAt(kind, "U0LA"); len(got) != 1 || !got[0].Equal(laMorning) {
			t.Errorf("%s for the Los Angeles rep scheduled at %v, want %v (09:00 in Los Angeles)", kind, got, laMorning)
		}
		if got := e.scheduledAt(kind, "U0NY"); len(got) != 1 || got[0].After(at) {
			t.Errorf("%s for the New York rep scheduled at %v, want at once (by %v)", kind, got, at)
		}
	}

	// Friday 18:00 in Los Angeles is after hours before a weekend: Monday
	// 09:00 there. Quiet hours that end within working hours still hold it
	// until they end.
	friday := utc("2027-01-16T02:00:00Z") // Fri Jan 15, 18:00 PST
	if _, err := e.addFollowUp(la, pipeline.FollowUp{DueAt: friday}); err != nil {
		t.Fatal(err)
	}
	e.exec(`UPDATE users SET quiet_start = '20:00', quiet_end = '10:30' WHERE workspace_id = $1 AND id = 'U0LA'`, e.team)
	e.tick(friday)
	want := utc("2027-01-18T18:30:00Z") // Mon Jan 18, 10:30 PST
	if got := e.scheduledAt("followup_reminder", "U0LA"); len(got) != 2 || !got[1].Equal(want) {
		t.Errorf("Friday-evening reminder scheduled at %v, want %v (Monday 10:30 in Los Angeles)", got, want)
	}
}
