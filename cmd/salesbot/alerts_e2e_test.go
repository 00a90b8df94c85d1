package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"salesbot/internal/slackfake"
)

func TestBigDealAndStaleAlertButtons(t *testing.T) {
	// Tuesday 07:19 UTC; the stale alerts go out at 09:00 on Wednesday and
	// Thursday, working days.
	now := time.Date(2026, 12, 1, 7, 19, 0, 0, time.UTC)
	h := setupAt(t, now)
	at := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
	ack, _ := h.submit("U0ADMIN", h.modalFor(trigger), map[string]string{"Alerts channel": "C0ALERTS", "Big-deal threshold": "10k"})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("settings rejected: %s", ack.Payload)
	}
	h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Settings saved") })
	big := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	h.existedSince(at.AddDate(0, 0, -30))
	small := h.newDeal("U0MARIA", map[string]string{"Company": "Globex", "Estimated value": "500"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("move D-%d qualified", small))
	h.command("U0MARIA", "/deal", fmt.Sprintf("move D-%d qualified", big))
	alert, err := h.fake.WaitMessage(h.ctx, "C0ALERTS", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Big deal moved") })
	if err != nil {
		t.Fatalf("no big-deal alert: %v", err)
	}
	if !strings.Contains(alert.Text, fmt.Sprintf("D-%d", big)) || !strings.Contains(alert.Text, "Lead → Qualified") {
		t.Errorf("big-deal alert = %q, want the deal and its old and new stage", alert.Text)
	}
	if n := h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1 AND args->>'kind' = 'big_deal_alert'`, h.team); n != 1 {
		t.Errorf("%d big-deal alerts, want 1 (the small deal has none)", n)
	}

	// Idle for eleven days, both qualified deals (threshold 10) are stale: one DM.
	h.sql(`UPDATE deals SET last_activity_at = $2 WHERE workspace_id = $1`, h.team, at.AddDate(0, 0, -11))
	h.tick(at)
	msg, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "gone quiet") })
	if err != nil {
		t.Fatalf("no stale alert: %v", err)
	}
	if !strings.Contains(msg.Text, "2 of your deals") {
		t.Errorf("stale alert = %q, want both deals in one message", msg.Text)
	}
	h.click("U0MARIA", msg, "Snooze 7 days")
	if _, err := h.fake.WaitCall(h.ctx, "response_url", func(c slackfake.Call) bool { return strings.Contains(string(c.Body), "No stale alerts about") }); err != nil {
		t.Fatal(err)
	}
	if n := h.count(`SELECT count(*) FROM deals WHERE workspace_id = $1 AND snoozed_until > $2`, h.team, now.AddDate(0, 0, 6)); n != 1 {
		t.Errorf("%d deals snoozed, want 1", n)
	}
	view := h.modalFor(h.click("U0MARIA", msg, "Log activity"))
	if view.CallbackID != "deal_note" && !strings.Contains(strings.ToLower(view.Title.Text), "activity") {
		t.Errorf("Log activity opened %q (%s)", view.Title.Text, view.CallbackID)
	}
	// The next day only the deal not snoozed is alerted again.
	h.tick(at.Add(24 * time.Hour))
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "One of your deals") }); err != nil {
		t.Fatalf("no second stale alert: %v", err)
	}
}

func TestNotifyModal(t *testing.T) {
	h := setup(t)
	_, trigger := h.slash("U0MARIA", "/salesbot", "notify")
	view := h.modalFor(trigger)
	ack, _ := h.submit("U0MARIA", view, map[string]string{"Quiet hours from": "25:00", "Quiet hours until": "07:00"})
	var errs struct {
		Errors map[string]string `json:"errors"`
	}
	json.Unmarshal(ack.Payload, &errs)
	if !strings.Contains(errs.Errors["quiet_start"], "25:00") {
		t.Errorf("bad quiet hours not rejected inline: %s", ack.Payload)
	}
	ack, _ = h.submit("U0MARIA", view, map[string]string{"Quiet hours from": "22:00", "Quiet hours until": "7:00", "Stale-deal alerts": "off"})
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("notify rejected: %s", ack.Payload)
	}
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Notification choices saved") }); err != nil {
		t.Fatal(err)
	}
	if n := h.count(`SELECT count(*) FROM users WHERE workspace_id = $1 AND id = 'U0MARIA' AND quiet_start = '22:00'
		AND quiet_end = '07:00' AND notify->>'stale' = 'false' AND notify->>'followups' = 'true'`, h.team); n != 1 {
		t.Error("notification choices not saved")
	}
}
