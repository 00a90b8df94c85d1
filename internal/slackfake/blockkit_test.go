package slackfake

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/slack-go/slack"
)

func TestValidateBlocks(t *testing.T) {
	long := func(n int) string { return strings.Repeat("x", n) }
	text := func(s string) string { return `{"type":"mrkdwn","text":"` + s + `"}` }
	button := func(label string) string {
		return `{"type":"actions","elements":[{"type":"button","action_id":"a","text":{"type":"plain_text","text":"` + label + `"}}]}`
	}
	fields := make([]string, 11)
	for i := range fields {
		fields[i] = text("f")
	}
	many := make([]string, 51)
	for i := range many {
		many[i] = `{"type":"divider"}`
	}
	tests := []struct {
		name, blocks, surface, want string
	}{
		{"a deal card", `[{"type":"header","text":{"type":"plain_text","text":"D-1"}},{"type":"section","text":` + text("*Acme*") +
			`,"fields":[` + text("a") + `],"accessory":{"type":"overflow","action_id":"o","options":[{"text":{"type":"plain_text","text":"Edit"},"value":"e"}]}},` +
			button("Won") + `,{"type":"context","elements":[` + text("c") + `]},{"type":"divider"}]`, SurfaceMessage, ""},
		{"header too long", `[{"type":"header","text":{"type":"plain_text","text":"` + long(151) + `"}}]`, SurfaceMessage, "/blocks/0/text/text"},
		{"header in mrkdwn", `[{"type":"header","text":` + text("h") + `}]`, SurfaceMessage, "/blocks/0/text/type"},
		{"section text too long", `[{"type":"section","text":` + text(long(3001)) + `}]`, SurfaceMessage, "must be less than 3001"},
		{"eleven fields", `[{"type":"section","fields":[` + strings.Join(fields, ",") + `]}]`, SurfaceMessage, "/blocks/0/fields"},
		{"empty section", `[{"type":"section"}]`, SurfaceMessage, "either text or fields"},
		{"button text too long", `[` + button(long(76)) + `]`, SurfaceMessage, "/blocks/0/elements/0/text/text"},
		{"51 blocks in a message", `[` + strings.Join(many, ",") + `]`, SurfaceMessage, "no more than 50"},
		{"51 blocks in a modal", `[` + strings.Join(many, ",") + `]`, SurfaceModal, ""},
		{"input in a message", `[{"type":"input","label":{"type":"plain_text","text":"L"},"element":{"type":"plain_text_input"}}]`, SurfaceMessage, "not allowed in messages"},
		{"option text too long", `[{"type":"input","label":{"type":"plain_text","text":"L"},"element":{"type":"static_select","options":[{"text":{"type":"plain_text","text":"` +
			long(76) + `"},"value":"v"}]}}]`, SurfaceModal, "/options/0/text/text"},
		{"unknown block", `[{"type":"carousel"}]`, SurfaceMessage, "/blocks/0/type"},
		{"block_id too long", `[{"type":"divider","block_id":"` + long(256) + `"}]`, SurfaceMessage, "/blocks/0/block_id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			errs := ValidateBlocks(json.RawMessage(tt.blocks), tt.surface, "/blocks")
			got := strings.Join(errs, "\n")
			if tt.want == "" && got != "" || tt.want != "" && !strings.Contains(got, tt.want) {
				t.Errorf("errors = %q, want one with %q", got, tt.want)
			}
		})
	}
}

// The Web API answers invalid blocks the way Slack does, with the reasons.
func TestPostMessageRefusesInvalidBlocks(t *testing.T) {
	s := New(t)
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	header := slack.NewHeaderBlock(slack.NewTextBlockObject(slack.PlainTextType, strings.Repeat("h", 151), false, false))
	_, _, err := api.PostMessageContext(context.Background(), "C1", slack.MsgOptionBlocks(header))
	if err == nil || !strings.Contains(err.Error(), "invalid_blocks") {
		t.Fatalf("err = %v, want invalid_blocks", err)
	}
	calls := s.Calls("chat.postMessage")
	if len(calls) != 1 || len(s.Messages("C1")) != 0 {
		t.Fatalf("calls = %d, messages = %d", len(calls), len(s.Messages("C1")))
	}
}

// A message's response_url replaces or deletes that message.
func TestMessageResponseURLReplacesTheOriginal(t *testing.T) {
	s := New(t)
	ctx := context.Background()
	api := slack.New("xoxb-test", slack.OptionAPIURL(s.APIURL()))
	_, ts, err := api.PostMessageContext(ctx, "C1", slack.MsgOptionText("before", false))
	if err != nil {
		t.Fatal(err)
	}
	url := s.NewMessageResponseURL("C1", "U1", ts)
	if err := slack.PostWebhookContext(ctx, url, &slack.WebhookMessage{Text: "after", ReplaceOriginal: true}); err != nil {
		t.Fatal(err)
	}
	if msgs := s.Messages("C1"); len(msgs) != 1 || msgs[0].Text != "after" || msgs[0].Edits != 1 {
		t.Fatalf("messages = %+v", msgs)
	}
	if err := slack.PostWebhookContext(ctx, url, &slack.WebhookMessage{DeleteOriginal: true}); err != nil {
		t.Fatal(err)
	}
	if msgs := s.Messages("C1"); len(msgs) != 0 {
		t.Fatalf("messages after delete = %+v", msgs)
	}
}
