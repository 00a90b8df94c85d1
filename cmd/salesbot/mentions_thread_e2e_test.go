package main

import (
	"fmt"
	"strings"
	"testing"

	"salesbot/internal/slackfake"
)

// A private channel salesbot is not in is out of its sight (Slack answers
// channel_not_found): turning mentions on there warns the admin to invite
// it, as in a public channel without it.
func TestDealMentionsWarnInAPrivateChannelWithoutSalesbot(t *testing.T) {
	h := setup(t)
	h.fake.AddChannel(slackfake.Channel{ID: "C0SALES", Name: "sales", IsPrivate: true, BotAbsent: true, Members: []string{"U0ADMIN"}})
	if r := h.command("U0ADMIN", "/salesbot", "mentions on"); !strings.Contains(r.all(), "Deal mentions are on in this channel") ||
		!strings.Contains(r.all(), "salesbot is not in this channel") {
		t.Errorf("mentions on in a private channel without salesbot: %s", r.all())
	}
}

// A deal named in a thread is shared in that thread, not at the top of
// the channel.
func TestDealMentionSharedInItsThread(t *testing.T) {
	h := setup(t)
	h.salesChannel()
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Globex", "Estimated value": "8,000"})
	ref := fmt.Sprintf("D-%d", n)
	h.command("U0ADMIN", "/salesbot", "mentions on")
	parent := h.fake.AddMessage(slackfake.Message{Channel: "C0SALES", User: "U0SAM", Text: "how is Globex going?", Via: "user"})
	h.say(slackfake.Message{User: "U0MARIA", ThreadTS: parent.TS, Text: "see " + ref})
	cards := h.fake.Ephemerals("C0SALES", "U0MARIA")
	if len(cards) != 1 {
		t.Fatalf("cards shown: %d, want 1", len(cards))
	}
	h.click("U0MARIA", cards[0], "Share in channel")
	h.svc.bot.WaitHandlers()
	var shared []slackfake.Message
	for _, m := range h.fake.Messages("C0SALES") {
		if m.Via == "chat.postMessage" && strings.Contains(m.Text, ref) {
			shared = append(shared, m)
		}
	}
	if len(shared) != 1 || shared[0].ThreadTS != parent.TS {
		t.Errorf("shared %+v, want one post in the thread %s", shared, parent.TS)
	}
}
