package main

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"salesbot/internal/slackfake"
)

// The Follow-up button said "14:00 PST" while /deal followup said "09:00
// (America/Los_Angeles)". Both now answer with the same words: Slack's date
// token for the due time, read in the typer's timezone, with a zoned
// fallback.
func TestFollowUpAnswersAgreeAndAreDateTokens(t *testing.T) {
	now := time.Date(2026, 12, 8, 4, 0, 0, 0, time.UTC) // Monday 20:00 in Los Angeles
	h := setupAt(t, now)
	h.fake.AddUser(slackfake.User{ID: "U0SAM", TeamID: h.team, Name: "sam", TZ: "America/Los_Angeles"})
	n := h.newDeal("U0SAM", map[string]string{"Company": "Acme"})
	ref := fmt.Sprintf("D-%d", n)

	// "next tuesday 10am" on a Monday night in Los Angeles (Tuesday in UTC):
	// the Tuesday of next week, 10:00 there.
	la, _ := time.LoadLocation("America/Los_Angeles")
	due := time.Date(2026, 12, 15, 10, 0, 0, 0, la)
	want := fmt.Sprintf("Follow-up on %s set for <!date^%d^{date_short_pretty} at {time}|Tue Dec 15, 2026 at 10:00 AM PST>", ref, due.Unix())

	typed := h.command("U0SAM", "/deal", "followup "+ref+" next tuesday 10am call back")
	if !strings.Contains(typed.all(), want) {
		t.Errorf("/deal followup answered:\n%s\nwant:\n%s", typed.all(), want)
	}

	h.command("U0SAM", "/deal", ref)
	card := h.lastMessage("C0SALES", ref)
	view := h.modalFor(h.click("U0SAM", card, "Follow-up"))
	if ack, _ := h.submit("U0SAM", view, map[string]string{"When": "next tuesday 10am", "Note": "send the deck"}); len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		t.Fatalf("Follow-up modal rejected: %s", ack.Payload)
	}
	h.svc.bot.WaitHandlers()
	card = h.lastMessage("C0SALES", ref)
	if shown := card.Text + blockText(card.Blocks); !strings.Contains(shown, want) {
		t.Errorf("the Follow-up button answered:\n%s\nwant:\n%s", shown, want)
	}
}
