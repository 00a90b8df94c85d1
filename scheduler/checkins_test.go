package scheduler_test

import (
	"testing"
	"time"

	"salesbot/pipeline"
)

// Post-sale check-ins have their own switch: with follow-up reminders off
// they are still sent, the plain follow-ups are passed over without a
// message (turning reminders back on does not flood the owner), and with
// both off no follow-up run is scheduled at all.
func TestCheckinsRunWhileFollowUpsAreOff(t *testing.T) {
	t.Parallel()
	e := setup(t, 1, pipeline.Settings{Timezone: "UTC", Jobs: map[string]bool{
		pipeline.JobFollowUps: false, pipeline.JobDigest: false, pipeline.JobLeaderboard: false,
		pipeline.JobStale: false, pipeline.JobClosePassed: false, pipeline.JobHandoff: false}})
	plain, sold := e.deal("U0REP", "Acme"), e.deal("U0REP", "Globex")
	due := utc("2027-01-12T10:00:00Z")
	if _, err := e.addFollowUp(plain, pipeline.FollowUp{DueAt: due}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.addFollowUp(sold, pipeline.FollowUp{DueAt: due, Kind: "checkin"}); err != nil {
		t.Fatal(err)
	}
	e.tick(due)
	if got := e.sent("followup_reminder", ""); len(got) != 1 || got[0] != "U0REP: A follow-up is due: "+sold.Ref() {
		t.Fatalf("reminders = %q, want the check-in of %s only", got, sold.Ref())
	}
	e.exec(`UPDATE workspace_settings SET jobs = jobs - 'followups' WHERE workspace_id = $1`, e.team)
	e.tick(due.Add(time.Minute))
	if got := e.sent("followup_reminder", ""); len(got) != 1 {
		t.Errorf("reminders after turning reminders back on = %q, want no backlog", got)
	}

	// Both off: no occurrence, so nothing is marked either.
	e.exec(`UPDATE workspace_settings SET jobs = jobs || '{"followups": false, "checkins": false}' WHERE workspace_id = $1`, e.team)
	later := due.Add(time.Hour)
	if _, err := e.addFollowUp(sold, pipeline.FollowUp{DueAt: later, Kind: "checkin"}); err != nil {
		t.Fatal(err)
	}
	var before, after int
	count := `SELECT count(*) FROM river_job WHERE kind = 'scheduler_occurrence' AND args->>'team_id' = $1 AND args->>'job' = 'followups'`
	e.db.GetContext(t.Context(), &before, count, e.team)
	e.tick(later)
	e.db.GetContext(t.Context(), &after, count, e.team)
	if after != before {
		t.Errorf("%d follow-up runs scheduled with reminders and check-ins off", after-before)
	}
	var unreminded int
	e.db.GetContext(t.Context(), &unreminded, `SELECT count(*) FROM follow_ups WHERE workspace_id = $1 AND reminded_at IS NULL`, e.team)
	if unreminded != 1 {
		t.Errorf("%d follow-ups unreminded, want the new check-in held", unreminded)
	}
}
