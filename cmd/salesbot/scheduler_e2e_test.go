package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"salesbot/internal/slackfake"
)

// tick has the scheduler tick the test's workspace at t, as the leader's
// tick would at that time. Only this workspace: tests running at the same
// time share the database. The scheduler's own clock stays where the test
// pinned it; the occurrences ticked here lie ahead of it, so none is
// skipped as past.
func (h *harness) tick(t time.Time) {
	h.t.Helper()
	if _, err := h.svc.sched.TickWorkspace(h.ctx, t, h.team); err != nil {
		h.t.Fatalf("tick at %s: %v", t, err)
	}
}

func TestSettingsModalSavesAndRejectsInline(t *testing.T) {
	h := setup(t)
	h.fake.AddChannel(slackfake.Channel{ID: "C0NOBOT", Name: "random", BotAbsent: true})
	_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
	view := h.modalFor(trigger)
	ack, _ := h.submit("U0ADMIN", view, map[string]string{
		"Digest channel": "C0NOBOT", "Digest time": "25:00", "Working days": "",
		"Follow-up snooze": "3 weeks", "Stale after (days): Lead": "-1", "Big-deal threshold": "lots",
	})
	var errs struct {
		Action string            `json:"response_action"`
		Errors map[string]string `json:"errors"`
	}
	json.Unmarshal(ack.Payload, &errs)
	for _, block := range []string{"digest_channel", "digest_time", "working_days", "followup_snooze", "stale_lead", "big_deal"} {
		if errs.Errors[block] == "" {
			t.Errorf("no inline error on %s; ack %s", block, ack.Payload)
		}
	}
	if !strings.Contains(errs.Errors["digest_channel"], "#random") {
		t.Errorf("channel error = %q, want it to name the channel", errs.Errors["digest_channel"])
	}
	if n := h.count(`SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND digest_time = '08:30' AND digest_channel = ''`, h.team); n != 1 {
		t.Errorf("a rejected form changed the settings")
	}

	_, trigger = h.slash("U0ADMIN", "/salesbot", "settings")
	view = h.modalFor(trigger)
	ack, _ = h.submit("U0ADMIN", view, map[string]string{
		"Digest channel": "C0DIGEST", "Alerts channel": "C0ALERTS", "Timezone": "America/New_York",
		"Digest time": "7:45", "Working days": "Monday,Tuesday,Wednesday,Thursday", "Follow-up snooze": "4h",
		"Stale after (days): Lead": "3", "Big-deal threshold": "50k", "Weekly leaderboard": "off",
	})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("settings rejected: %s", ack.Payload)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Settings saved") }); err != nil {
		t.Fatal(err)
	}
	if n := h.count(`SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND digest_time = '07:45'
		AND working_days = '{1,2,3,4}' AND followup_snooze_mins = 240 AND big_deal_minor = 5000000
		AND digest_channel = 'C0DIGEST' AND timezone = 'America/New_York' AND jobs->>'leaderboard' = 'false'
		AND jobs->>'digest' = 'true'`, h.team); n != 1 {
		var row string
		h.svc.db.GetContext(h.ctx, &row, `SELECT row_to_json(s)::text FROM workspace_settings s WHERE workspace_id = $1`, h.team)
		t.Errorf("settings not saved as submitted: %s", row)
	}
	if n := h.count(`SELECT stale_days FROM stages WHERE workspace_id = $1 AND key = 'lead'`, h.team); n != 3 {
		t.Errorf("lead stale threshold = %d, want 3", n)
	}
}

// The digest goes out at 08:30 New York time to the digest channel and to
// each manager, once, however many ticks see it. The test runs on Tuesday
// 2026-12-01 at 07:19 UTC (02:19 in New York), the morning the digest's
// occurrence of the day before was once sent by a tick at 08:29.
func TestDigestReachesChannelAndEachManagerOnce(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	h := setupAt(t, time.Date(2026, 12, 1, 7, 19, 0, 0, time.UTC))
	at := time.Date(2026, 12, 2, 8, 30, 0, 0, ny) // Wednesday
	_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
	ack, _ := h.submit("U0ADMIN", h.modalFor(trigger), map[string]string{"Digest channel": "C0DIGEST", "Timezone": "America/New_York"})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("settings rejected: %s", ack.Payload)
	}
	h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Settings saved") })
	h.command("U0ADMIN", "/salesbot", "team <@U0BOSS> <@U0MARIA>")
	h.command("U0ADMIN", "/salesbot", "team <@U0LEAD> <@U0JOE>")
	h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	h.existedSince(at.AddDate(0, 0, -30))

	h.tick(at.Add(-time.Minute))
	h.tick(at)
	h.tick(at) // a second process, or a restart, ticking the same minute
	h.tick(at.Add(time.Minute))
	for _, ch := range []string{"C0DIGEST", "DU0BOSS", "DU0LEAD"} {
		if _, err := h.fake.WaitMessage(h.ctx, ch, func(m slackfake.Message) bool { return true }); err != nil {
			t.Fatalf("no digest in %s: %v", ch, err)
		}
	}
	if n := h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'kind' = 'digest'`, h.team); n != 3 {
		t.Errorf("%d digests queued, want 3 (the channel and two managers)", n)
	}
	if n := h.count(`SELECT count(*) FROM scheduler_runs WHERE workspace_id = $1 AND job = 'digest' AND scheduled_at = $2`, h.team, at); n != 1 {
		t.Errorf("digest at %s ran %d times", at, n)
	}
	if got := len(h.fake.Messages("DU0MARIA")); got != 1 { // only the lead's confirmation
		t.Errorf("a rep got %d messages, want no digest", got)
	}
}

func TestFollowUpReminderButtons(t *testing.T) {
	// 10:19: the snooze (a day) ends within working hours, so the second
	// reminder is not held until the next working morning.
	h := setupAt(t, time.Date(2026, 12, 1, 10, 19, 0, 0, time.UTC))
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme"})
	h.existedSince(time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC))
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0MARIA", "/deal", "followup "+ref+" tomorrow 10am send the quote")
	var due time.Time
	if err := h.svc.db.GetContext(h.ctx, &due, `SELECT due_at FROM follow_ups WHERE workspace_id = $1`, h.team); err != nil {
		t.Fatal(err)
	}
	h.tick(due.Add(-time.Minute))
	h.tick(due)
	isReminder := func(m slackfake.Message) bool { return strings.Contains(m.Text, "follow-up is due") }
	msg, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", isReminder)
	if err != nil {
		t.Fatalf("no reminder: %v", err)
	}
	if !strings.Contains(blockText(msg.Blocks), "send the quote") {
		t.Errorf("reminder does not show the note: %s", blockText(msg.Blocks))
	}

	// Snooze: reminded once more when the snooze ends, not before.
	h.click("U0MARIA", msg, "Snooze")
	if _, err := h.fake.WaitCall(h.ctx, "response_url", func(c slackfake.Call) bool { return strings.Contains(string(c.Body), "remind you about "+ref) }); err != nil {
		t.Fatal(err)
	}
	var until time.Time
	if err := h.svc.db.GetContext(h.ctx, &until, `SELECT snoozed_until FROM follow_ups WHERE workspace_id = $1`, h.team); err != nil {
		t.Fatal(err)
	}
	h.tick(until.Add(-time.Minute))
	h.tick(until)
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return isReminder(m) && m.TS != msg.TS }); err != nil {
		t.Fatalf("not reminded after the snooze: %v", err)
	}
	second := h.lastMessage("DU0MARIA", "follow-up is due")

	// Done: never reminded again.
	h.click("U0MARIA", second, "Done")
	if _, err := h.fake.WaitCall(h.ctx, "response_url", func(c slackfake.Call) bool { return strings.Contains(string(c.Body), ref+" done") }); err != nil {
		t.Fatal(err)
	}
	if n := h.count(`SELECT count(*) FROM follow_ups WHERE workspace_id = $1 AND done_at IS NOT NULL`, h.team); n != 1 {
		t.Fatal("Done did not complete the follow-up")
	}
	h.tick(until.Add(24 * time.Hour))
	// Run that occurrence here too: it returns once the occurrence has run,
	// here or on the worker, so the count below is final.
	if err := h.svc.sched.Run(h.ctx, "followups", h.team, until.Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	if n := h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'kind' = 'followup_reminder'`, h.team); n != 2 {
		t.Errorf("%d reminders queued, want 2", n)
	}
}
