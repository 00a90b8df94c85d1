package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"salesbot/internal/pgtest"
	"salesbot/internal/slackfake"
)

// salesChannel is where the mention tests talk: the channel h.command types
// in, with the bot and everyone of the tests in it.
func (h *harness) salesChannel() {
	h.fake.AddChannel(slackfake.Channel{ID: "C0SALES", Name: "sales",
		Members: []string{slackfake.BotUserID, "U0ADMIN", "U0MARIA", "U0SAM", "U0EVE"}})
}

// say stores m in its channel as Slack does and delivers the message event
// of h's workspace to the bot, then waits for what it does about it; it
// returns the envelope ID.
func (h *harness) say(m slackfake.Message) string {
	h.t.Helper()
	if m.Channel == "" {
		m.Channel = "C0SALES"
	}
	if m.Via == "" {
		m.Via = "user"
	}
	m = h.fake.AddMessage(m)
	id, err := h.fake.SendEvent(h.ctx, h.team, h.fake.MessageEvent(m))
	if err != nil {
		h.t.Fatal(err)
	}
	h.ack(id)
	h.svc.bot.WaitHandlers()
	return id
}

// shown is what salesbot showed user alone in C0SALES of its own accord
// (chat.postEphemeral), as one string per message.
func (h *harness) shown(user string) []string {
	var out []string
	for _, m := range h.fake.Ephemerals("C0SALES", user) {
		if m.Via == "chat.postEphemeral" { // not answers to commands or clicks
			out = append(out, m.Text+"\n"+blockText(m.Blocks))
		}
	}
	return out
}

// posted is what the bot posted in C0SALES for everyone (chat.postMessage).
func (h *harness) posted() []string {
	var out []string
	for _, c := range h.fake.Calls("chat.postMessage") {
		if c.Param("channel") == "C0SALES" {
			out = append(out, c.Param("text")+"\n"+blockText(json.RawMessage(c.Param("blocks"))))
		}
	}
	return out
}

// Deal mentions are off until an admin turns them on in a channel; a rep is
// refused. Then a D-n gets its writer, and only them, the deal in one line
// if they may see it, and nothing otherwise; salesbot's own posts, other
// bots' and edits get nothing.
func TestDealMentionsOnlyWhereTurnedOnAndOnlyToWhoMaySee(t *testing.T) {
	h := setup(t)
	h.salesChannel()
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Acme", "Estimated value": "12,500"})
	ref := fmt.Sprintf("D-%d", n)
	// What a person typed is shown as text, never as markup.
	h.sql(`UPDATE accounts SET name = 'Acme <!channel> & Co' WHERE workspace_id = $1 AND name = 'Acme'`, h.team)

	h.say(slackfake.Message{User: "U0MARIA", Text: "where are we on " + ref + "?"})
	if got := h.shown("U0MARIA"); len(got) != 0 {
		t.Errorf("mentions off by default, yet Maria was shown %q", got)
	}
	if r := h.command("U0MARIA", "/salesbot", "mentions"); !strings.Contains(r.all(), "Deal mentions are *off* in this channel") {
		t.Errorf("status before: %s", r.all())
	}
	if r := h.command("U0MARIA", "/salesbot", "mentions on"); !strings.Contains(r.all(), "can turn deal mentions on or off: ask one of them") {
		t.Errorf("a rep turning mentions on: %s", r.all())
	}
	if r := h.command("U0ADMIN", "/salesbot", "mentions maybe"); !strings.Contains(r.all(), "Usage: `/salesbot mentions on`") {
		t.Errorf("an unknown word: %s", r.all())
	}
	if c := h.count(`SELECT count(*) FROM channel_settings WHERE workspace_id = $1`, h.team); c != 0 {
		t.Fatalf("refused requests wrote %d channel settings", c)
	}
	// Turned on where salesbot is not a member, the admin is told to invite it.
	h.fake.AddChannel(slackfake.Channel{ID: "C0SALES", Name: "sales", BotAbsent: true, Members: []string{"U0ADMIN", "U0MARIA"}})
	if r := h.command("U0ADMIN", "/salesbot", "mentions on"); !strings.Contains(r.all(), "Deal mentions are on in this channel") ||
		!strings.Contains(r.all(), "salesbot is not in this channel") {
		t.Errorf("admin turning mentions on without the bot in the channel: %s", r.all())
	}
	h.salesChannel()
	if r := h.command("U0ADMIN", "/salesbot", "mentions on"); !strings.Contains(r.all(), "Deal mentions are on in this channel") ||
		strings.Contains(r.all(), "not in this channel") {
		t.Errorf("admin turning mentions on: %s", r.all())
	}
	if c := h.count(`SELECT count(*) FROM channel_settings WHERE workspace_id = $1 AND channel_id = 'C0SALES' AND mentions AND changed_by = 'U0ADMIN'`, h.team); c != 1 {
		t.Errorf("channel settings rows turned on by the admin: %d, want 1", c)
	}
	if r := h.command("U0SAM", "/salesbot", "mentions"); !strings.Contains(r.all(), "Deal mentions are *on* in this channel (set by <@U0ADMIN>") {
		t.Errorf("status after: %s", r.all())
	}

	// The owner: one line, once, however often the message names it.
	h.say(slackfake.Message{User: "U0MARIA", Text: "<@U0SAM> " + ref + " and " + strings.ToLower(ref) + " again, not D-99999"})
	got := h.shown("U0MARIA")
	if len(got) != 1 {
		t.Fatalf("Maria was shown %d messages, want 1: %q", len(got), got)
	}
	for _, want := range []string{ref, "Acme &lt;!channel&gt; &amp; Co", "$12,500", "<@U0MARIA>", "Share in channel"} {
		if !strings.Contains(got[0], want) {
			t.Errorf("Maria's card lacks %q:\n%s", want, got[0])
		}
	}
	if strings.Contains(got[0], "<!channel>") {
		t.Errorf("the account's markup reached Slack: %s", got[0])
	}
	// Sam may not see Maria's deal: nothing, as for a deal that does not exist.
	h.say(slackfake.Message{User: "U0SAM", Text: "what is " + ref + "? and D-99999?"})
	if got := h.shown("U0SAM"); len(got) != 0 {
		t.Errorf("Sam, who may not see %s, was shown %q", ref, got)
	}
	// An admin sees every deal.
	h.say(slackfake.Message{User: "U0ADMIN", Text: "(" + ref + ")"})
	if got := h.shown("U0ADMIN"); len(got) != 1 || !strings.Contains(got[0], ref) {
		t.Errorf("the admin was shown %q, want %s's card", got, ref)
	}

	// salesbot's own post, another app's, a bot message and other subtypes
	// get nothing, even where their user may see the deal: salesbot's own
	// user is made an admin here, and an app posting as a person carries
	// that person's user ID.
	if r := h.command("U0ADMIN", "/salesbot", "role <@"+slackfake.BotUserID+"> admin"); !strings.Contains(r.all(), "admin") {
		t.Fatalf("making the bot's user an admin: %s", r.all())
	}
	before := len(h.fake.Calls("chat.postEphemeral"))
	h.say(slackfake.Message{User: slackfake.BotUserID, Text: ref + " moved to Proposal", Via: "chat.postMessage"})
	h.say(slackfake.Message{User: "U0ADMIN", BotID: "B0OTHER", Text: "deploy mentions " + ref})
	h.say(slackfake.Message{User: "U0ADMIN", BotID: "B0OTHER", SubType: "bot_message", Text: ref})
	for _, sub := range []string{"me_message", "message_changed", "message_deleted", "channel_join", "thread_broadcast"} {
		h.say(slackfake.Message{User: "U0ADMIN", SubType: sub, Text: ref})
	}
	if after := len(h.fake.Calls("chat.postEphemeral")); after != before {
		t.Errorf("bots' messages and subtypes got %d ephemeral answers, want none", after-before)
	}
	if p := h.posted(); len(p) != 0 {
		t.Errorf("salesbot posted for everyone without anyone asking: %+v", p)
	}

	// Turned off again, a mention gets nothing.
	if r := h.command("U0ADMIN", "/salesbot", "mentions off"); !strings.Contains(r.all(), "Deal mentions are off in this channel") {
		t.Errorf("admin turning mentions off: %s", r.all())
	}
	h.say(slackfake.Message{User: "U0MARIA", Text: ref})
	if got := h.shown("U0MARIA"); len(got) != 1 {
		t.Errorf("mentions turned off, yet Maria has %d cards, want still 1", len(got))
	}
}

// A redelivered message event answers once; Share in channel posts the
// deal once for everyone however often it is clicked, replaces the card
// with what was done, and refuses someone who may not see the deal.
func TestDealMentionShareOnceAndRedeliveredOnce(t *testing.T) {
	h := setup(t)
	h.salesChannel()
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Globex", "Estimated value": "8,000"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0ADMIN", "/salesbot", "mentions on")

	id := h.say(slackfake.Message{User: "U0MARIA", Text: "ping " + ref})
	again, err := h.fake.Redeliver(h.ctx, id, "timeout")
	if err != nil {
		t.Fatal(err)
	}
	h.ack(again)
	h.svc.bot.WaitHandlers()
	cards := h.fake.Ephemerals("C0SALES", "U0MARIA")
	if len(cards) != 1 {
		t.Fatalf("a message delivered twice showed %d cards, want 1", len(cards))
	}

	// Sam clicking the same button (a forwarded payload) is refused, and
	// nothing is posted.
	h.click("U0SAM", cards[0], "Share in channel")
	h.svc.bot.WaitHandlers()
	if p := h.posted(); len(p) != 0 {
		t.Errorf("shared by someone who may not see the deal: %+v", p)
	}
	if got := h.lastMessage("C0SALES", "can work on it"); got.User != "U0SAM" || !got.Ephemeral || !strings.Contains(got.Text, "only they") {
		t.Errorf("Sam was not told why: %+v", got)
	}

	// Maria double-clicks: one post, for everyone.
	h.click("U0MARIA", cards[0], "Share in channel")
	h.click("U0MARIA", cards[0], "Share in channel")
	h.svc.bot.WaitHandlers()
	p := h.posted()
	if len(p) != 1 {
		t.Fatalf("Share in channel clicked twice posted %d times, want once", len(p))
	}
	if all := p[0]; !strings.Contains(all, ref) || !strings.Contains(all, "Globex") ||
		!strings.Contains(all, "Shared by <@U0MARIA>") || strings.Contains(all, "Share in channel") {
		t.Errorf("shared post: %s", all)
	}
	if got := h.shown("U0MARIA"); len(got) != 1 || !strings.Contains(got[0], "You shared "+ref+" in this channel") {
		t.Errorf("Maria's card after sharing: %q", got)
	}

	// A channel archived since: the clicker is told, and nothing is posted.
	h.say(slackfake.Message{User: "U0ADMIN", Text: ref})
	card := h.lastMessage("C0SALES", "You mentioned "+ref)
	if card.User != "U0ADMIN" {
		t.Fatalf("the admin's card: %+v", card)
	}
	if _, err := h.fake.ArchiveChannel("C0SALES", "U0ADMIN"); err != nil {
		t.Fatal(err)
	}
	h.click("U0ADMIN", card, "Share in channel")
	h.svc.bot.WaitHandlers()
	if got := h.lastMessage("C0SALES", "was not shared"); got.User != "U0ADMIN" || !strings.Contains(got.Text, "this channel is archived") {
		t.Errorf("a refused share: %+v", got)
	}
	if p := h.posted(); len(p) != 2 { // Maria's, and the refused try
		t.Errorf("posts after a refused share: %d, want 2 tries", len(p))
	}
}

// Workspaces stay apart: workspace B's admin turning mentions on in a
// channel of the same ID does not turn them on in A, and B's D-1 never
// shows A's D-1.
func TestDealMentionsStayInTheirWorkspace(t *testing.T) {
	h := setup(t)
	h.salesChannel()
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Initech", "Estimated value": "5,000"})
	ref := fmt.Sprintf("D-%d", n)

	other := *h
	other.team = pgtest.TeamID()
	if r := other.command("U0ADMIN", "/salesbot", "mentions on"); !strings.Contains(r.all(), "Deal mentions are on in this channel") {
		t.Fatalf("B's admin turning mentions on: %s", r.all())
	}
	h.say(slackfake.Message{User: "U0MARIA", Text: ref})
	if got := h.shown("U0MARIA"); len(got) != 0 {
		t.Errorf("B turned mentions on in A: Maria was shown %q", got)
	}
	// In B, where they are on, even B's admin gets nothing for A's number.
	other.say(slackfake.Message{User: "U0ADMIN", Text: ref})
	if got := h.shown("U0ADMIN"); len(got) != 0 {
		t.Errorf("B's admin was shown A's %s: %q", ref, got)
	}
	if c := h.count(`SELECT count(*) FROM channel_settings WHERE workspace_id = $1`, h.team); c != 0 {
		t.Errorf("A has %d channel settings, want none", c)
	}
	// A's own switch still works for A.
	h.command("U0ADMIN", "/salesbot", "mentions on")
	h.say(slackfake.Message{User: "U0MARIA", Text: ref})
	if got := h.shown("U0MARIA"); len(got) != 1 || !strings.Contains(got[0], "Initech") {
		t.Errorf("A's own mention: %q", got)
	}
}
