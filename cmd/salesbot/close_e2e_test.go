package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"salesbot/internal/slackfake"
)

func (h *harness) openFollowUps(n int64, kind string) int {
	h.t.Helper()
	return h.count(`SELECT count(*) FROM follow_ups f JOIN deals d ON d.id = f.deal_id
		WHERE d.workspace_id = $1 AND d.number = $2 AND f.kind = $3 AND f.done_at IS NULL`, h.team, n, kind)
}

// Winning a deal closes its open follow-ups and says so, with a button that
// keeps them (once); check-ins stay. With no celebration channel, the winner
// and the admins hear how to set one, once.
func TestWonDealClosesFollowUpsAndKeepsThem(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	ref := fmt.Sprintf("D-%d", n)
	if r := h.command("U0MARIA", "/deal", "followup "+ref+" tomorrow 10am call back"); !strings.Contains(r.all(), "Follow-up on "+ref) {
		t.Fatalf("follow-up: %s", r.all())
	}
	r := h.command("U0MARIA", "/deal", "won "+ref)
	for _, want := range []string{ref + " is won", "Its open follow-up is closed with it.", "Keep it open"} {
		if !strings.Contains(r.all(), want) {
			t.Errorf("won answer lacks %q:\n%s", want, r.all())
		}
	}
	if got := h.openFollowUps(n, "followup"); got != 0 {
		t.Errorf("open follow-ups after the win = %d, want 0", got)
	}
	if got := h.openFollowUps(n, "checkin"); got == 0 {
		t.Errorf("no open check-ins after the win")
	}
	for _, who := range []string{"U0MARIA", "U0ADMIN"} {
		m, err := h.fake.WaitMessage(h.ctx, "D"+who, func(m slackfake.Message) bool { return strings.Contains(m.Text, "no celebration channel is set") })
		if err != nil {
			t.Fatalf("%s got no hint about the celebration channel: %v", who, err)
		}
		if !strings.Contains(m.Text, "/salesbot settings") {
			t.Errorf("hint to %s does not say how: %s", who, m.Text)
		}
	}

	h.click("U0MARIA", h.lastMessage("C0SALES", "Keep it open"), "Keep it open")
	h.svc.bot.WaitHandlers()
	if got := h.openFollowUps(n, "followup"); got != 1 {
		t.Errorf("open follow-ups after Keep = %d, want 1", got)
	}
	if m := h.lastMessage("C0SALES", "kept"); !strings.Contains(m.Text, "1 follow-up on "+ref+" kept") {
		t.Errorf("keep answer: %s", m.Text)
	}
	h.click("U0MARIA", h.lastMessage("C0SALES", "Keep it open"), "Keep it open")
	h.svc.bot.WaitHandlers()
	if m := h.lastMessage("C0SALES", "open already"); !strings.Contains(m.Text, ref) {
		t.Errorf("second keep answer: %s", m.Text)
	}
	if got := h.openFollowUps(n, "followup"); got != 1 {
		t.Errorf("open follow-ups after a second Keep = %d, want 1", got)
	}

	// A second win in the workspace: no second hint.
	n2 := h.newDeal("U0MARIA", map[string]string{"Company": "Globex", "Estimated value": "1,000"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("won D-%d", n2))
	h.svc.bot.WaitHandlers()
	if got := h.count(`SELECT count(*) FROM river_job WHERE args->>'kind' = 'celebration_hint' AND args->>'team_id' = $1`, h.team); got != 2 {
		t.Errorf("celebration hints queued = %d, want 2 (the winner and the admin, once)", got)
	}
}

// A follow-up typed on a closed deal asks first: Set it anyway schedules
// it, Cancel does not.
func TestFollowUpOnClosedDealAsksForConfirmation(t *testing.T) {
	h := setup(t)
	h.setCelebrationChannel("C0WINS")
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0MARIA", "/deal", "lost "+ref+" went with a competitor")

	r := h.command("U0MARIA", "/deal", "followup "+ref+" tomorrow 10am check back")
	if !strings.Contains(r.all(), ref+" is Closed-lost. Set a follow-up for") || !strings.Contains(r.all(), "Set it anyway") {
		t.Fatalf("follow-up on a lost deal: %s", r.all())
	}
	if got := h.openFollowUps(n, "followup"); got != 0 {
		t.Fatalf("follow-ups before the yes = %d, want 0", got)
	}
	h.click("U0MARIA", h.lastMessage("C0SALES", "Set it anyway"), "Cancel")
	h.svc.bot.WaitHandlers()
	if m := h.lastMessage("C0SALES", "No follow-up set on "+ref); m.Text == "" {
		t.Error("no answer to Cancel")
	}
	if got := h.openFollowUps(n, "followup"); got != 0 {
		t.Errorf("follow-ups after Cancel = %d, want 0", got)
	}

	h.command("U0MARIA", "/deal", "followup "+ref+" tomorrow 10am check back")
	h.click("U0MARIA", h.lastMessage("C0SALES", "Set it anyway"), "Set it anyway")
	h.svc.bot.WaitHandlers()
	if got := h.openFollowUps(n, "followup"); got != 1 {
		t.Errorf("follow-ups after the yes = %d, want 1", got)
	}
	if m := h.lastMessage("C0SALES", "Follow-up on "+ref+" set"); !strings.Contains(blockText(m.Blocks), "Closed-lost") {
		t.Errorf("the answer to the yes shows no card: %s", blockText(m.Blocks))
	}

	// The card's Follow-up modal asks the same way.
	h.command("U0MARIA", "/deal", ref)
	view := h.modalFor(h.click("U0MARIA", h.lastMessage("C0SALES", "Follow-up"), "Follow-up"))
	asked := len(h.fake.Messages("C0SALES"))
	if ack, _ := h.submit("U0MARIA", view, map[string]string{"When": "friday 9am"}); len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("follow-up modal rejected: %s", ack.Payload)
	}
	h.svc.bot.WaitHandlers()
	if m := h.lastMessage("C0SALES", "Set it anyway"); len(h.fake.Messages("C0SALES")) <= asked || !strings.Contains(m.Text, ref+" is Closed-lost") {
		t.Errorf("the modal did not ask: %s", m.Text)
	}
	if got := h.openFollowUps(n, "followup"); got != 1 {
		t.Errorf("follow-ups after the modal, before a yes = %d, want 1", got)
	}
}

// Every refusal says who can instead: the admins by name for admin-only
// requests, the owner, their manager and the admins for a deal.
func TestRefusalsNameWhoCan(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Umbrella"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0MARIA>")
	if r := h.command("U0BOB", "/deal", "note "+ref+" sneaky"); !strings.Contains(r.all(),
		"That deal belongs to <@U0MARIA>; only they, their manager <@U0MGR> or an admin (<@U0ADMIN>) can work on it") {
		t.Errorf("another rep's note: %s", r.all())
	}
	for cmd, want := range map[string]string{
		"settings":               ":no_entry: Only admins (<@U0ADMIN>) can change settings: ask one of them.",
		"role <@U0BOB> manager":  ":no_entry: Only admins (<@U0ADMIN>) can set roles: ask one of them.",
		"icp":                    ":no_entry: Only admins (<@U0ADMIN>) can change the ideal customer profile: ask one of them.",
		"away on <@U0MARIA>":     ":no_entry: Only admins (<@U0ADMIN>) can mark someone else away: ask one of them.",
		"route clear":            ":no_entry: Only admins (<@U0ADMIN>) can change routing: ask one of them.",
		"capacity <@U0MARIA> 3":  ":no_entry: Only admins (<@U0ADMIN>) can set capacity: ask one of them.",
		"team <@U0MGR> <@U0BOB>": ":no_entry: Only admins (<@U0ADMIN>) can set teams: ask one of them.",
	} {
		if r := h.command("U0BOB", "/salesbot", cmd); !strings.Contains(r.all(), want) {
			t.Errorf("/salesbot %s by a rep: %s\nwant %q", cmd, r.all(), want)
		}
	}
}

// A close date in the past is refused under its field, in the New lead form
// and in the edit form; a past date the deal already had may stay.
func TestPastCloseDateIsRefused(t *testing.T) {
	now := time.Date(2026, 12, 1, 15, 0, 0, 0, time.UTC)
	h := setupAt(t, now)
	view := h.openLeadModal("U0MARIA", "")
	ack, _ := h.submit("U0MARIA", view, map[string]string{"Company": "Acme", "Owner": "U0MARIA", "Expected close date": "2026-11-20"})
	if !strings.Contains(string(ack.Payload), "Nov 20, 2026 is in the past: the expected close date must be today or later.") {
		t.Errorf("past date in the New lead form: %s", ack.Payload)
	}
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Expected close date": "2026-12-01"})
	ref := fmt.Sprintf("D-%d", n)

	// A day later the deal's date is past: editing its title keeps it, moving
	// it to another past day is refused.
	h.sql(`UPDATE deals SET expected_close = '2026-11-25' WHERE workspace_id = $1 AND number = $2`, h.team, n)
	h.command("U0MARIA", "/deal", ref)
	edit := h.modalFor(h.click("U0MARIA", h.lastMessage("C0SALES", ref), "Edit"))
	if ack, _ := h.submit("U0MARIA", edit, map[string]string{"Deal title": "Renewal"}); len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Errorf("editing an overdue deal's title was refused: %s", ack.Payload)
	}
	h.svc.bot.WaitHandlers()
	h.command("U0MARIA", "/deal", ref)
	edit = h.modalFor(h.click("U0MARIA", h.lastMessage("C0SALES", ref), "Edit"))
	if ack, _ := h.submit("U0MARIA", edit, map[string]string{"Expected close date": "2026-11-01"}); !strings.Contains(string(ack.Payload), "Nov 1, 2026 is in the past") {
		t.Errorf("past date in the edit form: %s", ack.Payload)
	}
}
