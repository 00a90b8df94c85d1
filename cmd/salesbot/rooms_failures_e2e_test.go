package main

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// Slack refusing one person with a code salesbot does not sort
// (cant_invite) skips that person, Slack's code told to the requester;
// the others are invited and the card pinned on the first attempt.
func TestDealRoomInviteRefusalSkipsThePerson(t *testing.T) {
	h := setup(t)
	h.command("U0ADMIN", "/salesbot", "team <@U0MGR> <@U0MARIA>")
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Soylent"})
	// The whole call, then the owner alone, refused.
	h.fake.SetFailure("conversations.invite", slackfake.Failure{Times: 2, Error: "cant_invite"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n))
	ch := h.roomOpened("U0MARIA", n)
	if slices.Contains(ch.Members, "U0MARIA") || !slices.Contains(ch.Members, "U0MGR") {
		t.Errorf("members %v, want the manager without the refused owner", ch.Members)
	}
	h.checkPinnedCard(ch, n)
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "<@U0MARIA> was not invited: Slack refused it (cant_invite).")
	}); err != nil {
		t.Errorf("the requester was not told who was skipped: %v", err)
	}
	if got := len(h.fake.Calls("conversations.create")); got != 1 {
		t.Errorf("conversations.create called %d times", got)
	}
}

// Slack never accepting the invitations: the job's last attempt still
// posts and pins the card, and the requester is told people could not be
// invited, with Slack's code.
func TestDealRoomLastAttemptPostsTheCardWithoutInvitations(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Umbrella"})
	h.fake.SetFailure("conversations.invite", slackfake.Failure{Times: 1000})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n))
	// After the first failed attempt, the next one is made the last.
	waitUntil(t, h.ctx, "a failed attempt", func() bool {
		return h.count(`WITH u AS (UPDATE river_job SET max_attempts = attempt + 1 WHERE kind = 'room_open'
			AND args->>'team_id' = $1 AND state = 'retryable' RETURNING 1) SELECT count(*) FROM u`, h.team) == 1
	})
	ch := h.roomOpened("U0MARIA", n)
	h.checkPinnedCard(ch, n)
	if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
		return strings.Contains(m.Text, "People could not be invited: Slack refused it (internal_error).")
	}); err != nil {
		t.Errorf("the requester was not told: %v", err)
	}
	h.fake.SetFailure("conversations.invite", slackfake.Failure{})
}

// Rooms opening by themselves are turned off by emptying the value, the
// stage still chosen in the form (Slack's select cannot be cleared): the
// form saves, and a big deal reaching that stage gets no room.
func TestDealRoomAutoOpenTurnedOffInTheForm(t *testing.T) {
	h := setup(t)
	saves := 0
	save := func(values map[string]string) {
		t.Helper()
		_, trigger := h.slash("U0ADMIN", "/salesbot", "settings")
		ack, _ := h.submit("U0ADMIN", h.modalFor(trigger), values)
		if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
			t.Fatalf("settings rejected: %s", ack.Payload)
		}
		saves++
		waitUntil(t, h.ctx, "the settings saved", func() bool {
			told := 0
			for _, m := range h.fake.Messages("DU0ADMIN") {
				if strings.Contains(m.Text, "Settings saved") {
					told++
				}
			}
			return told == saves
		})
	}
	save(map[string]string{"Open a room by itself above": "50k", "…on reaching the stage": "proposal", "Archive rooms after the close (days)": "7"})
	save(map[string]string{"Open a room by itself above": ""}) // the stage as the form shows it
	if got := h.count(`SELECT count(*) FROM workspace_settings WHERE workspace_id = $1 AND COALESCE(room_auto_stage, '') = ''`, h.team); got != 1 {
		t.Error("rooms still open by themselves after the value was emptied")
	}
	big := h.newDeal("U0MARIA", map[string]string{"Company": "Big Co", "Estimated value": "60,000"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("move D-%d proposal", big))
	if _, ok := h.room(big); ok {
		t.Error("a room opened by itself after it was turned off")
	}
}

// The archive sweep goes on past a room Slack fails on (that one is tried
// again next sweep), and a room salesbot was removed from (not_in_channel)
// counts as archived instead of failing every sweep.
func TestDealRoomSweepGoesOnPastAFailure(t *testing.T) {
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	clk := &settableClock{t: start}
	h, _, _ := startHarness(t, harnessSpec{opts: []serviceOption{{now: clk.Now}}})
	var deals []int64
	for _, co := range []string{"Acme", "Globex"} {
		n := h.newDeal("U0MARIA", map[string]string{"Company": co})
		h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n))
		h.roomOpened("U0MARIA", n)
		deals = append(deals, n)
	}
	h.sql(`UPDATE deal_rooms SET archive_at = $2 WHERE workspace_id = $1`, h.team, start.Add(time.Hour))
	clk.Set(start.Add(time.Hour))
	sweep := func() {
		t.Helper()
		if err := h.svc.rooms.QueueSweep(h.ctx, h.team); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, h.ctx, "the sweep done", func() bool {
			return h.count(`SELECT count(*) FROM river_job WHERE kind = 'room_archive_sweep' AND args->>'team_id' = $1
				AND state NOT IN ('completed', 'discarded', 'cancelled')`, h.team) == 0
		})
	}
	open := func() int {
		n := 0
		for _, d := range deals {
			if r, _ := h.room(d); r.State == "open" {
				n++
			}
		}
		return n
	}
	h.fake.SetFailure("conversations.archive", slackfake.Failure{Times: 1, Status: 500})
	sweep()
	if got, calls := open(), len(h.fake.Calls("conversations.archive")); got != 1 || calls != 2 {
		t.Fatalf("after a failure: %d rooms open, %d archive calls; want the other room archived in the same sweep", got, calls)
	}
	h.fake.SetFailure("conversations.archive", slackfake.Failure{Times: 1, Error: "not_in_channel"})
	sweep()
	if got := open(); got != 0 {
		t.Errorf("a room salesbot was removed from is still open")
	}
}

// A room whose channel a person deleted in Slack is forgotten (an event
// from another workspace changes nothing): the deal can get a new room.
func TestDealRoomDeletedInSlackIsForgotten(t *testing.T) {
	h := setup(t)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Cyberdyne"})
	h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n))
	ch := h.roomOpened("U0MARIA", n)
	send := func(team string, ev map[string]any) {
		t.Helper()
		id, err := h.fake.SendEvent(h.ctx, team, ev)
		if err != nil {
			t.Fatal(err)
		}
		h.ack(id)
		h.svc.bot.WaitHandlers()
	}
	send(pgtest.TeamID(), map[string]any{"type": "channel_deleted", "channel": ch.ID})
	if _, ok := h.room(n); !ok {
		t.Fatal("an event of another workspace deleted the room")
	}
	send(h.team, map[string]any{"type": "channel_deleted", "channel": ch.ID})
	if r, ok := h.room(n); ok {
		t.Fatalf("the deleted room is still there: %+v", r)
	}
	if r := h.command("U0MARIA", "/deal", fmt.Sprintf("room D-%d", n)); !strings.Contains(r.all(), "Opening a room") {
		t.Fatalf("asking for a new room: %s", r.all())
	}
	waitUntil(t, h.ctx, "the new room open", func() bool {
		r, _ := h.room(n)
		return r.State == "open"
	})
	if r, _ := h.room(n); r.Channel == ch.ID {
		t.Error("the new room is the deleted channel")
	}
}
