package main

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"salesbot/config"
	"salesbot/internal/slackfake"
)

// openRoomFor gives deal n of h's workspace an open room: the channel in
// the fake Slack, the bot and owner among its members, and its row as the
// opening job leaves it.
func (h *harness) openRoomFor(n int64, channel string) {
	h.t.Helper()
	h.fake.AddChannel(slackfake.Channel{ID: channel, Name: fmt.Sprintf("deal-%d-acme", n), Members: []string{"U0MARIA"}})
	h.sql(`INSERT INTO deal_rooms (workspace_id, deal_id, state, channel_id, name, private, requested_by, requested_at, opened_at)
		SELECT workspace_id, id, 'open', $3, $4, false, owner_id, created_at, created_at FROM deals WHERE workspace_id = $1 AND number = $2`,
		h.team, n, channel, fmt.Sprintf("deal-%d-acme", n))
}

// restartOn stops h's salesbot (stop) and starts a new one on the same
// database (dbURL) and fake Slack, wired the same way: a restart.
func (h *harness) restartOn(dbURL string, stop func(), opts ...serviceOption) {
	h.t.Helper()
	stop() // ends h.ctx too
	ctx, cancelAll := context.WithTimeout(context.Background(), 90*time.Second)
	h.t.Cleanup(cancelAll)
	h.ctx = ctx
	env := map[string]string{"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_APP_TOKEN": "xapp-test", "SLACK_API_URL": h.fake.APIURL(),
		"DATABASE_URL": dbURL, "HTTP_ADDR": "127.0.0.1:0", "SALESBOT_ADMINS": "U0ADMIN"}
	cfg, err := config.Load(func(k string) string { return env[k] }, true)
	if err != nil {
		h.t.Fatal(err)
	}
	sockets := h.fake.Sockets()
	log := slog.New(slog.NewTextHandler(testWriter{h.t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
	svc, err := startService(h.ctx, cfg, log, opts...)
	if err != nil {
		h.t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(h.ctx)
	done := make(chan error, 1)
	go func() { done <- svc.serve(runCtx) }()
	h.t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			h.t.Errorf("serve after the restart: %v", err)
		}
		svc.close()
	})
	h.svc = svc
	waitUntil(h.t, h.ctx, "the restarted bot to connect", func() bool { return h.fake.Sockets() > sockets && h.fake.Connected() })
}

// roomMessages are the bot's posts in channel for everyone (not the
// answers to commands typed there) that contain says.
func (h *harness) roomMessages(channel, says string) []slackfake.Message {
	var out []slackfake.Message
	for _, m := range h.fake.Messages(channel) {
		if m.Via == "chat.postMessage" && !m.Ephemeral && strings.Contains(m.Text, says) {
			out = append(out, m)
		}
	}
	return out
}

// A deal whose room was opened with /deal room, worked on over Slack: its
// move, note, follow-up, discount request, approval and win are each
// posted in the room once, the win with the deal's history in brief; the
// room is archived 7 days (the default) after the win, on the bot's clock,
// and not before. The move is delivered twice by Slack, and the bot
// restarts in the middle, with a post to the room failing just before, so
// its retry runs in the new process.
func TestDealRoomMirrorsEachEventOnceAcrossARestart(t *testing.T) {
	base := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC) // a Wednesday
	clk := &settableClock{t: base}
	opt := serviceOption{now: clk.Now}
	h, dbURL, stop := startHarness(t, harnessSpec{opts: []serviceOption{opt}})
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	ref := fmt.Sprintf("D-%d", n)
	h.requireApprovalAbove(1000)
	h.command("U0MARIA", "/deal", "room "+ref)
	room := h.roomOpened("U0MARIA", n).ID
	other := h.newDeal("U0MARIA", map[string]string{"Company": "Roomless", "Estimated value": "5,000"})

	// The move, and Slack delivering it again.
	id, err := h.fake.SendSlashCommand(h.ctx, slackfake.SlashCommand{TeamID: h.team, ChannelID: room, UserID: "U0MARIA",
		UserName: "u0maria", Command: "/deal", Text: "move " + ref + " qualified"})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(id)
	h.svc.bot.WaitHandlers()
	again, err := h.fake.Redeliver(h.ctx, id, "timeout")
	if err != nil {
		t.Fatal(err)
	}
	h.ack(again)
	h.svc.bot.WaitHandlers()
	h.command("U0MARIA", "/deal", fmt.Sprintf("move D-%d qualified", other)) // no room: nothing posted

	// The note's post fails once; the bot restarts before its retry.
	clk.Set(base.Add(2 * time.Hour))
	if _, err := h.fake.WaitMessage(h.ctx, room, func(m slackfake.Message) bool { return strings.Contains(m.Text, "<@U0MARIA> moved") }); err != nil {
		t.Fatalf("the move was not posted in the room: %v", err)
	}
	h.fake.SetFailure("chat.postMessage", slackfake.Failure{Times: 1, Error: "internal_error"})
	if r := h.command("U0MARIA", "/deal", "note "+ref+" Called <!channel> the CFO"); !strings.Contains(r.all(), ref) {
		t.Fatalf("note: %s", r.all())
	}
	h.svc.bot.WaitHandlers()
	waitUntil(t, h.ctx, "the note's post to fail", func() bool {
		return h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1
			AND args->>'kind' = 'room_activity' AND cardinality(errors) = 1`, h.team) == 1
	})
	h.restartOn(dbURL, stop, opt)

	clk.Set(base.Add(4 * time.Hour))
	h.command("U0MARIA", "/deal", "followup "+ref+" tomorrow 10am send terms")
	h.command("U0MARIA", "/deal", "approve "+ref+" 20 multi-year")
	ask, err := h.fake.WaitMessage(h.ctx, "DU0ADMIN", func(m slackfake.Message) bool { return strings.Contains(m.Text, "asks you to approve") })
	if err != nil {
		t.Fatalf("the admin got no request: %v", err)
	}
	h.click("U0ADMIN", ask, "Approve")
	h.svc.bot.WaitHandlers()
	won := base.AddDate(0, 0, 3)
	clk.Set(won)
	if r := h.command("U0MARIA", "/deal", "won "+ref); !strings.Contains(r.all(), ref+" is won") {
		t.Fatalf("won: %s", r.all())
	}
	h.svc.bot.WaitHandlers()

	if _, err := h.fake.WaitMessage(h.ctx, room, func(m slackfake.Message) bool { return strings.Contains(m.Text, "Summary of "+ref) }); err != nil {
		t.Fatalf("no summary in the room: %v", err)
	}
	waitUntil(t, h.ctx, "the outbox to deliver everything", func() bool {
		return h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1
			AND state NOT IN ('completed', 'cancelled', 'discarded')`, h.team) == 0
	})
	wants := []string{
		"<@U0MARIA> moved *" + ref + "* from Lead to Qualified.",
		"<@U0MARIA> logged a note on *" + ref + "*: Called &lt;!channel&gt; the CFO",
		"<@U0MARIA> set a follow-up on *" + ref + "* for <@U0MARIA>, due <!date^" + fmt.Sprint(base.AddDate(0, 0, 1).Add(time.Hour).Unix()),
		"<@U0MARIA> asked to approve 20% off $12,500 (price $10,000) on *" + ref + "*: multi-year",
		"<@U0ADMIN> approved 20% off $12,500 (price $10,000) on *" + ref + "*.",
		"<@U0MARIA> won *" + ref + "* for $12,500 ($10,000 after a 20% discount).\n:checkered_flag: *Summary of " + ref + "* Acme",
	}
	for _, want := range wants {
		if got := h.roomMessages(room, want); len(got) != 1 {
			t.Errorf("%d posts in the room saying %q, want 1", len(got), want)
		}
	}
	// The pinned card, and the posts above.
	if got := h.roomMessages(room, ""); len(got) != len(wants)+1 {
		for _, m := range got {
			t.Log(m.Text)
		}
		t.Errorf("%d posts in the room, want the card and %d", len(got), len(wants))
	}
	if got := h.count(`SELECT count(*) FROM river_job WHERE kind = 'outbox_message' AND args->>'team_id' = $1
		AND args->>'kind' = 'room_activity' AND cardinality(errors) = 1 AND state = 'completed'`, h.team); got != 1 {
		t.Errorf("the note's post did not fail once and then go out: %d such jobs", got)
	}
	summary := h.roomMessages(room, "Summary of "+ref)
	if len(summary) == 1 {
		for _, says := range []string{"open 3 days", "Activities: 1", "discount approvals: 1 asked (1 approved)", "Outcome: won for $12,500"} {
			if !strings.Contains(summary[0].Text, says) {
				t.Errorf("the summary does not say %q:\n%s", says, summary[0].Text)
			}
		}
	}
	var archiveAt time.Time
	if err := h.svc.db.GetContext(h.ctx, &archiveAt, `SELECT r.archive_at FROM deal_rooms r JOIN deals d ON d.workspace_id = r.workspace_id AND d.id = r.deal_id
		WHERE r.workspace_id = $1 AND d.number = $2`, h.team, n); err != nil {
		t.Fatal(err)
	}
	if !archiveAt.Equal(won.AddDate(0, 0, 7)) {
		t.Errorf("archive_at = %v, want %v: 7 days after the win", archiveAt, won.AddDate(0, 0, 7))
	}

	sweep := func(at time.Time) {
		t.Helper()
		clk.Set(at)
		done := h.count(`SELECT count(*) FROM river_job WHERE kind = 'room_archive_sweep' AND args->>'team_id' = $1 AND state = 'completed'`, h.team)
		if err := h.svc.rooms.QueueSweep(h.ctx, h.team); err != nil {
			t.Fatal(err)
		}
		waitUntil(t, h.ctx, "the sweep done", func() bool {
			return h.count(`SELECT count(*) FROM river_job WHERE kind = 'room_archive_sweep' AND args->>'team_id' = $1 AND state = 'completed'`, h.team) > done
		})
	}
	sweep(won.AddDate(0, 0, 7).Add(-time.Minute))
	if c, _ := h.fake.Channel(room); c.Archived {
		t.Fatal("the room was archived before its time")
	}
	sweep(won.AddDate(0, 0, 7))
	if c, _ := h.fake.Channel(room); !c.Archived {
		t.Error("the room was not archived 7 days after the win")
	}
	if r, _ := h.room(n); r.State != "archived" {
		t.Errorf("the room is %q after its archiving", r.State)
	}
}
