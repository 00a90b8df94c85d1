package main

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"salesbot/internal/slackfake"
)

// A long message in a multibyte script is added whole (up to the
// activity's 3,000 characters), though the form's metadata holds only part
// of it: the submission reads it again from Slack, with
// conversations.history at the top of the channel and conversations.replies
// in a thread.
func TestAddToDealKeepsALongMessageWhole(t *testing.T) {
	now := time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC)
	h := setupAt(t, now)
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Umbrella"})
	h.fake.AddChannel(slackfake.Channel{ID: "C0JP", Name: "tokyo", Members: []string{"U0MARIA", "U0CUST"}})
	long := strings.Repeat("見積もりを送ります。", 140) // 1,400 characters, 4,200 bytes
	top, _, err := h.fake.PostAsUser(h.ctx, slackfake.Message{User: "U0CUST", Channel: "C0JP", Text: long + " &amp; 以上"})
	if err != nil {
		t.Fatal(err)
	}
	reply, _, err := h.fake.PostAsUser(h.ctx, slackfake.Message{User: "U0CUST", Channel: "C0JP", ThreadTS: top.TS, Text: "返信：" + long})
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []struct{ ts, want, method string }{
		{top.TS, long + " & 以上", "conversations.history"},
		{reply.TS, "返信：" + long, "conversations.replies"},
	} {
		view := h.addToDeal("U0MARIA", "C0JP", c.ts)
		if len(view.PrivateMetadata) > 3000 {
			t.Fatalf("private_metadata is %d bytes", len(view.PrivateMetadata))
		}
		h.submit("U0MARIA", view, map[string]string{"Deal": strconv.FormatInt(n, 10)})
		if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool {
			return strings.Contains(m.Text, fmt.Sprintf("Message added to D-%d", n))
		}); err != nil {
			t.Fatalf("not added: %v", err)
		}
		h.svc.bot.WaitHandlers()
		rows := h.capturedOn(h.team, n)
		if len(rows) != i+1 || rows[i].Body != c.want {
			t.Fatalf("message %d: activities %d, body %d characters; want the whole %d", i, len(rows), len([]rune(rows[len(rows)-1].Body)), len([]rune(c.want)))
		}
		if calls := h.fake.Calls(c.method); len(calls) == 0 || calls[len(calls)-1].Params["channel"] != "C0JP" {
			t.Errorf("message %d: no %s call for C0JP", i, c.method)
		}
	}
}

// A message with no text is refused at once, where it was chosen, without
// a form to fill in for nothing.
func TestAddToDealRefusesAMessageWithoutText(t *testing.T) {
	h := setupAt(t, time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC))
	h.fake.AddChannel(slackfake.Channel{ID: "C0PIX", Name: "pictures", Members: []string{"U0MARIA", "U0CUST"}})
	msg, _, err := h.fake.PostAsUser(h.ctx, slackfake.Message{User: "U0CUST", Channel: "C0PIX", Text: ""})
	if err != nil {
		t.Fatal(err)
	}
	id, err := h.fake.SendMessageShortcut(h.ctx, slackfake.MessageShortcut{TeamID: h.team, UserID: "U0MARIA", UserName: "u0maria",
		CallbackID: "add_to_deal", Channel: "C0PIX", MessageTS: msg.TS})
	if err != nil {
		t.Fatal(err)
	}
	h.ack(id)
	got, err := h.fake.WaitMessage(h.ctx, "C0PIX", func(m slackfake.Message) bool { return m.Via == "response_url" })
	if err != nil {
		t.Fatalf("no answer: %v", err)
	}
	if !got.Ephemeral || got.User != "U0MARIA" || !strings.Contains(got.Text, "That message has no text to add") {
		t.Errorf("answer %+v, want Maria told only", got)
	}
	h.svc.bot.WaitHandlers()
	if calls := h.fake.Calls("views.open"); len(calls) != 0 {
		t.Errorf("a form opened: %d views.open calls", len(calls))
	}
}

// Slack will not show salesbot a private channel it is not in, nor a
// direct message between people: the person is told why, in words for
// each, and nothing is added.
func TestAddToDealWhereSalesbotCannotSee(t *testing.T) {
	h := setupAt(t, time.Date(2026, 3, 10, 15, 0, 0, 0, time.UTC))
	n := h.newDeal("U0MARIA", map[string]string{"Company": "Umbrella"})
	for _, c := range []struct{ channel, want string }{
		{"G0SECRET", "invite @salesbot to the channel"},
		{"D0PEOPLE", "salesbot cannot see direct messages it is not part of"},
	} {
		h.fake.AddChannel(slackfake.Channel{ID: c.channel, Name: strings.ToLower(c.channel), IsPrivate: true, BotAbsent: true,
			Members: []string{"U0MARIA", "U0CUST"}})
		msg, _, err := h.fake.PostAsUser(h.ctx, slackfake.Message{User: "U0CUST", Channel: c.channel, Text: "call me " + c.channel})
		if err != nil {
			t.Fatal(err)
		}
		view := h.addToDeal("U0MARIA", c.channel, msg.TS)
		h.submit("U0MARIA", view, map[string]string{"Or a deal number": fmt.Sprintf("D-%d", n)})
		if _, err := h.fake.WaitMessage(h.ctx, "DU0MARIA", func(m slackfake.Message) bool { return strings.Contains(m.Text, c.want) }); err != nil {
			t.Errorf("%s: not told %q: %v", c.channel, c.want, err)
		}
	}
	h.svc.bot.WaitHandlers()
	if rows := h.capturedOn(h.team, n); len(rows) != 0 {
		t.Errorf("added %+v", rows)
	}
}
