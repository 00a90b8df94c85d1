package scheduler_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"salesbot/pipeline"
)

// Two processes on one database: each occurrence runs once, and a tick that
// comes back later (a restart, a new leader) runs nothing twice.
func TestTwoInstancesRunEachOccurrenceOnce(t *testing.T) {
	t.Parallel()
	e := setup(t, 2, pipeline.Settings{Timezone: "UTC", DigestChannel: "C0DIGEST"})
	d := e.deal("U0REP", "Acme")
	e.exec(`INSERT INTO follow_ups (workspace_id, deal_id, owner_id, due_at, note) VALUES ($1, $2, 'U0REP', $3, 'call back')`,
		e.team, d.ID, utc("2027-01-11T09:00:00Z"))
	e.tick(utc("2027-01-11T09:00:00Z")) // a Monday: follow-up, stale, digest and leaderboard are all due
	e.tick(utc("2027-01-11T09:00:30Z")) // the same minute again
	e.tick(utc("2027-01-11T09:01:00Z")) // the next minute: nothing new is due

	if got := e.sent("followup_reminder", ""); len(got) != 1 || !strings.HasPrefix(got[0], "U0REP: ") {
		t.Errorf("follow-up reminders = %q, want one to U0REP", got)
	}
	if got := e.sent("digest", ""); len(got) != 1 || !strings.HasPrefix(got[0], "C0DIGEST: Daily digest — Mon Jan 11, 2027\n") {
		t.Errorf("digests = %q, want one to the channel", got)
	}
	if got := e.sent("leaderboard", ""); len(got) != 1 || !strings.HasPrefix(got[0], "C0DIGEST: Leaderboard — Jan 4 – Jan 10\n") {
		t.Errorf("leaderboards = %q, want one covering the week before", got)
	}
	var charts int
	e.db.GetContext(t.Context(), &charts, `SELECT count(*) FROM river_job WHERE args->>'team_id' = $1 AND args->>'kind' = 'leaderboard' AND args->'chart'->>'filename' = 'funnel.png'`, e.team)
	if charts != 1 {
		t.Errorf("leaderboard posts with their funnel chart = %d, want 1", charts)
	}
	var runs, jobs int
	e.db.GetContext(t.Context(), &runs, `SELECT count(*) FROM scheduler_runs WHERE workspace_id = $1 AND job = 'digest'`, e.team)
	e.db.GetContext(t.Context(), &jobs, `SELECT count(*) FROM river_job WHERE kind = 'scheduler_occurrence' AND args->>'team_id' = $1 AND args->>'job' = 'digest'`, e.team)
	if runs != 1 || jobs != 1 {
		t.Errorf("digest: %d runs and %d jobs, want 1 and 1", runs, jobs)
	}
}

// The digest goes out at 08:30 in the workspace's timezone: 13:30 UTC in New
// York's winter, 12:30 UTC once daylight saving time starts.
func TestDigestAtLocalTimeAcrossDST(t *testing.T) {
	t.Parallel()
	e := setup(t, 1, pipeline.Settings{Timezone: "America/New_York", DigestTime: "08:30", DigestChannel: "C0DIGEST",
		Jobs: map[string]bool{"followups": false, "stale": false, "close_passed": false, "leaderboard": false, "handoff": false}})
	e.tick(utc("2027-03-05T12:30:00Z")) // Friday 07:30 EST
	if got := e.sent("digest", ""); len(got) != 0 {
		t.Fatalf("digest before 08:30 local: %q", got)
	}
	e.tick(utc("2027-03-05T13:30:00Z"))
	if got := e.sent("digest", ""); len(got) != 1 || !strings.Contains(got[0], "Daily digest — Fri Mar 5, 2027") {
		t.Fatalf("digests at 13:30 UTC in winter = %q, want Friday's", got)
	}
	e.tick(utc("2027-03-08T12:30:00Z")) // Monday after the change (Mar 14 2027 is the change: still EST)
	if got := e.sent("digest", ""); len(got) != 1 {
		t.Fatalf("digest at 12:30 UTC while EST: %q", got)
	}
	e.tick(utc("2027-03-15T12:30:00Z")) // Monday 08:30 EDT
	got := e.sent("digest", "")
	if len(got) != 2 || !strings.Contains(got[1], "Daily digest — Mon Mar 15, 2027") {
		t.Fatalf("digests after DST started = %q, want Monday's at 12:30 UTC", got)
	}
	// The weekend and the Monday missed in between were working days
	// only once: Mar 8–12 were never ticked at 08:30, so no digest for them
	// now (a digest older than its day is useless).
	e.tick(utc("2027-03-15T23:00:00Z"))
	if got := e.sent("digest", ""); len(got) != 2 {
		t.Errorf("late tick sent %q", got)
	}
}

// A digest missed while no process ran is sent when one comes back the same
// day, and skipped when it comes back the next day.
func TestMissedDigestLookBack(t *testing.T) {
	t.Parallel()
	e := setup(t, 1, pipeline.Settings{Timezone: "UTC", DigestTime: "08:30", DigestChannel: "C0DIGEST",
		Jobs: map[string]bool{"followups": false, "stale": false, "close_passed": false, "leaderboard": false, "handoff": false}})
	e.tick(utc("2027-01-12T11:00:00Z")) // back at 11:00: Tuesday's 08:30 runs now
	if got := e.sent("digest", ""); len(got) != 1 || !strings.Contains(got[0], "Daily digest — Tue Jan 12, 2027") {
		t.Fatalf("digests = %q, want Tuesday's", got)
	}
	e.tick(utc("2027-01-14T07:00:00Z")) // Wednesday's was missed entirely; Thursday's is not due yet
	e.tick(utc("2027-01-14T09:00:00Z"))
	got := e.sent("digest", "")
	if len(got) != 2 || !strings.Contains(got[1], "Daily digest — Thu Jan 14, 2027") {
		t.Errorf("digests = %q, want Tuesday's and Thursday's only", got)
	}
}

// A follow-up due at 10:00 in the owner's timezone is reminded once, at
// 10:00; snoozed, it is reminded once more; done, never again.
func TestFollowUpRemindedOnceAtItsTime(t *testing.T) {
	t.Parallel()
	e := setup(t, 1, pipeline.Settings{Timezone: "UTC"})
	d := e.deal("U0REP", "Acme")
	berlin, _ := time.LoadLocation("Europe/Berlin")
	due := time.Date(2027, 1, 12, 10, 0, 0, 0, berlin)
	f, err := e.addFollowUp(d, pipeline.FollowUp{DueAt: due, Note: "send the quote"})
	if err != nil {
		t.Fatal(err)
	}
	e.tick(due.Add(-time.Minute))
	if got := e.sent("followup_reminder", ""); len(got) != 0 {
		t.Fatalf("reminded before due: %q", got)
	}
	e.tick(due)
	e.tick(due.Add(time.Minute))
	if got := e.sent("followup_reminder", ""); len(got) != 1 || !strings.Contains(got[0], d.Ref()) {
		t.Fatalf("reminders = %q, want one for %s", got, d.Ref())
	}
	// Snooze (the button's store call) reminds once more at the new time.
	if _, err := e.st.SnoozeFollowUp(t.Context(), e.st.DB(), e.team, f.ID, due.Add(time.Hour), "U0REP", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.tick(due.Add(30 * time.Minute))
	e.tick(due.Add(time.Hour))
	e.tick(due.Add(time.Hour + time.Minute))
	if got := e.sent("followup_reminder", ""); len(got) != 2 {
		t.Fatalf("reminders after a snooze = %q, want two", got)
	}
	// Done, then snoozed by a stale button: never reminded again.
	if _, err := e.st.CompleteFollowUp(t.Context(), e.st.DB(), e.team, f.ID, "U0REP", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.exec(`UPDATE follow_ups SET reminded_at = NULL WHERE id = $1`, f.ID)
	e.tick(due.Add(2 * time.Hour))
	if got := e.sent("followup_reminder", ""); len(got) != 2 {
		t.Errorf("a done follow-up was reminded: %q", got)
	}
}

// Quiet hours hold a reminder until they end; a kind turned off is not sent.
func TestQuietHoursAndChoices(t *testing.T) {
	t.Parallel()
	e := setup(t, 1, pipeline.Settings{Timezone: "UTC"})
	d := e.deal("U0REP", "Acme")
	e.exec(`UPDATE users SET quiet_start = '20:00', quiet_end = '10:00' WHERE workspace_id = $1 AND id = 'U0REP'`, e.team)
	due := utc("2027-01-12T22:00:00Z")
	if _, err := e.addFollowUp(d, pipeline.FollowUp{DueAt: due}); err != nil {
		t.Fatal(err)
	}
	e.tick(due)
	var at []time.Time
	e.db.SelectContext(t.Context(), &at, `SELECT scheduled_at FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'kind' = 'followup_reminder'`, e.team)
	if len(at) != 1 || !at[0].Equal(utc("2027-01-13T10:00:00Z")) {
		t.Errorf("reminder in quiet hours scheduled at %v, want the next 10:00", at)
	}
	e.exec(`UPDATE users SET notify = '{"followups": false}' WHERE workspace_id = $1 AND id = 'U0REP'`, e.team)
	if _, err := e.addFollowUp(d, pipeline.FollowUp{DueAt: due.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	e.tick(due.Add(time.Hour))
	if got := e.sent("followup_reminder", ""); len(got) != 1 {
		t.Errorf("reminders = %q, want none for a kind turned off", got)
	}
}

// A stale deal is alerted once a day until a note resets it or a snooze
// hides it; at twice its threshold it goes to the owner's manager too.
func TestStaleAlertedOnceADay(t *testing.T) {
	t.Parallel()
	e := setup(t, 1, pipeline.Settings{Timezone: "UTC", Jobs: map[string]bool{"followups": false, "digest": false, "leaderboard": false}})
	if err := e.st.SetManager(t.Context(), e.st.DB(), e.team, "U0BOSS", []string{"U0REP"}); err != nil {
		t.Fatal(err)
	}
	quiet, busy := e.deal("U0REP", "Acme"), e.deal("U0REP", "Globex")
	start := utc("2027-01-04T09:00:00Z") // a Monday
	e.exec(`UPDATE deals SET last_activity_at = $2 WHERE workspace_id = $1`, e.team, start)
	e.tick(utc("2027-01-11T09:00:00Z")) // 7 days idle: not past the lead's 7
	if got := e.sent("alerts", ""); len(got) != 0 {
		t.Fatalf("alerted at the threshold: %q", got)
	}
	e.exec(`UPDATE deals SET expected_close = '2027-01-08' WHERE id = $1`, busy.ID)
	e.tick(utc("2027-01-12T09:00:00Z"))
	e.tick(utc("2027-01-12T09:05:00Z")) // same day again
	got := e.sent("alerts", "")
	if len(got) != 1 || !strings.Contains(got[0], "2 of your deals") || !strings.Contains(got[0], "past its expected close date") {
		t.Fatalf("alerts = %q, want one message with both stale deals and the close date", got)
	}
	e.exec(`UPDATE deals SET expected_close = NULL WHERE id = $1`, busy.ID)
	// A note on Globex resets it; Acme is alerted again the next day.
	e.exec(`UPDATE deals SET last_activity_at = $2 WHERE id = $1`, busy.ID, utc("2027-01-12T10:00:00Z"))
	e.tick(utc("2027-01-13T09:00:00Z"))
	got = e.sent("alerts", "")
	if len(got) != 2 || !strings.Contains(got[1], "One of your deals") || !strings.Contains(got[1], quiet.Ref()) {
		t.Fatalf("stale alerts = %q, want a second one for %s only", got, quiet.Ref())
	}
	// Snoozed for 7 days: quiet.
	if err := e.st.SnoozeDeal(t.Context(), e.st.DB(), e.team, quiet.Number, utc("2027-01-21T09:00:00Z"), "U0REP", e.clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.tick(utc("2027-01-14T09:00:00Z"))
	if got := e.sent("alerts", ""); len(got) != 2 {
		t.Fatalf("a snoozed deal was alerted: %q", got)
	}
	// Past the snooze, at 17 days idle (over twice 7), the manager hears too.
	e.tick(utc("2027-01-21T09:00:00Z"))
	if got := e.sent("alerts", "U0REP"); len(got) != 3 {
		t.Errorf("stale alerts after the snooze = %q, want a third", got)
	}
	esc := e.sent("alerts", "U0BOSS")
	if len(esc) != 1 || !strings.HasPrefix(esc[0], "U0BOSS: ") {
		t.Errorf("escalations = %q, want one to U0BOSS", esc)
	}
	if !slices.ContainsFunc(esc, func(s string) bool { return strings.Contains(s, "A deal on your team") }) {
		t.Errorf("escalation text = %q", esc)
	}
}
