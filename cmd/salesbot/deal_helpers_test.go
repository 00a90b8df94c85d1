package main

import (
	"encoding/json"
	"maps"
	"strconv"
	"strings"
	"testing"

	"github.com/slack-go/slack"

	"salesbot/internal/slackfake"
)

// reply is what a person saw in answer to a command or click: the ack's
// message, or what the bot posted to the response_url.
type reply struct {
	Text            string          `json:"text"`
	Blocks          json.RawMessage `json:"blocks"`
	ReplaceOriginal bool            `json:"replace_original"`
}

// all is the reply's text and every string of its blocks.
func (r reply) all() string { return r.Text + "\n" + blockText(r.Blocks) }

// command types a slash command and returns what the person was shown.
func (h *harness) command(user, command, text string) reply {
	h.t.Helper()
	id, err := h.fake.SendSlashCommand(h.ctx, slackfake.SlashCommand{
		TeamID: h.team, ChannelID: "C0SALES", UserID: user, UserName: strings.ToLower(user), Command: command, Text: text,
	})
	if err != nil {
		h.t.Fatal(err)
	}
	ack := h.ack(id)
	var r reply
	if len(ack.Payload) > 0 && string(ack.Payload) != "null" {
		json.Unmarshal(ack.Payload, &r)
		return r
	}
	env, _ := h.fake.Envelope(id)
	var p struct {
		ResponseURL string `json:"response_url"`
	}
	json.Unmarshal(env.Payload, &p)
	return h.responseTo(p.ResponseURL)
}

// responseTo waits for the bot's post to a response_url.
func (h *harness) responseTo(url string) reply {
	h.t.Helper()
	rid := url[strings.LastIndex(url, "/")+1:]
	c, err := h.fake.WaitCall(h.ctx, "response_url", func(c slackfake.Call) bool { return c.Params["id"] == rid })
	if err != nil {
		h.t.Fatalf("no answer on the response_url: %v", err)
	}
	var r reply
	json.Unmarshal(c.Body, &r)
	return r
}

// newDeal captures a lead through the New lead modal and returns its number.
// The lead is the user's own unless fields name an Owner ("" routes it).
func (h *harness) newDeal(user string, fields map[string]string) int64 {
	h.t.Helper()
	if _, ok := fields["Owner"]; !ok {
		fields = maps.Clone(fields)
		fields["Owner"] = user
	}
	view := h.openLeadModal(user, "")
	h.submit(user, view, fields)
	msg, err := h.fake.WaitMessage(h.ctx, "D"+user, func(m slackfake.Message) bool {
		return strings.Contains(m.Text, fields["Company"]) && strings.Contains(m.Text, "created")
	})
	if err != nil {
		h.t.Fatalf("lead %s not confirmed: %v", fields["Company"], err)
	}
	ref := strings.Fields(strings.TrimPrefix(msg.Text, "Lead "))[0]
	n, _ := strconv.ParseInt(strings.TrimPrefix(ref, "D-"), 10, 64)
	return n
}

// button is a button found in a message's blocks.
type button struct{ ActionID, BlockID, Value, Text string }

type buttonJSON struct {
	Type     string `json:"type"`
	ActionID string `json:"action_id"`
	Value    string `json:"value"`
	Text     struct {
		Text string `json:"text"`
	} `json:"text"`
}

func findButton(t *testing.T, blocks json.RawMessage, label string) button {
	t.Helper()
	var bs []struct {
		Type     string       `json:"type"`
		BlockID  string       `json:"block_id"`
		Elements []buttonJSON `json:"elements"`
		// A section's button sits in its accessory.
		Accessory *buttonJSON `json:"accessory"`
	}
	json.Unmarshal(blocks, &bs)
	for _, b := range bs {
		if b.Accessory != nil {
			b.Elements = append(b.Elements, *b.Accessory)
		}
		for _, e := range b.Elements {
			if e.Type == "button" && e.Text.Text == label {
				return button{e.ActionID, b.BlockID, e.Value, label}
			}
		}
	}
	t.Fatalf("no %q button in %s", label, blocks)
	return button{}
}

// click presses a button of message m as user and returns the envelope's
// trigger_id (for the modal it may open).
func (h *harness) click(user string, m slackfake.Message, label string) string {
	h.t.Helper()
	b := findButton(h.t, m.Blocks, label)
	trigger := h.fake.NewTriggerID()
	payload := map[string]any{
		"type": "block_actions", "team": map[string]any{"id": h.team}, "user": map[string]any{"id": user, "team_id": h.team},
		"api_app_id": slackfake.AppID, "trigger_id": trigger,
		"response_url": h.fake.NewMessageResponseURL(m.Channel, user, m.TS),
		"container":    map[string]any{"type": "message", "channel_id": m.Channel, "message_ts": m.TS, "is_ephemeral": m.Ephemeral},
		"channel":      map[string]any{"id": m.Channel},
		"actions": []map[string]any{{
			"type": "button", "action_id": b.ActionID, "block_id": b.BlockID, "value": b.Value,
			"text": map[string]any{"type": "plain_text", "text": b.Text}, "action_ts": "1",
		}},
	}
	id, err := h.fake.SendInteraction(h.ctx, payload)
	if err != nil {
		h.t.Fatal(err)
	}
	h.ack(id)
	return trigger
}

// modalFor waits for the modal opened with trigger.
func (h *harness) modalFor(trigger string) slack.View {
	h.t.Helper()
	call, err := h.fake.WaitCall(h.ctx, "views.open", func(c slackfake.Call) bool { return c.Param("trigger_id") == trigger })
	if err != nil {
		h.t.Fatalf("no modal opened: %v", err)
	}
	var req struct {
		View slack.View `json:"view"`
	}
	if err := json.Unmarshal(call.Body, &req); err != nil {
		h.t.Fatal(err)
	}
	for _, v := range h.fake.Views() {
		if v.TriggerID == trigger {
			req.View.ID, req.View.Hash = v.ID, v.Hash
		}
	}
	return req.View
}

// lastMessage is the newest message in channel whose text contains s.
func (h *harness) lastMessage(channel, s string) slackfake.Message {
	h.t.Helper()
	msgs := h.fake.Messages(channel)
	for i := len(msgs) - 1; i >= 0; i-- {
		if strings.Contains(msgs[i].Text+blockText(msgs[i].Blocks), s) {
			return msgs[i]
		}
	}
	h.t.Fatalf("no message with %q in %s", s, channel)
	return slackfake.Message{}
}

// sql runs a statement directly, for test set-up.
func (h *harness) sql(query string, args ...any) {
	h.t.Helper()
	if _, err := h.svc.db.ExecContext(h.ctx, query, args...); err != nil {
		h.t.Fatalf("%s: %v", query, err)
	}
}
