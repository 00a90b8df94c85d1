package bot

import (
	"context"
	"io"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/slack-go/slack"

	"salesbot/commands"
	"salesbot/internal/slackfake"
)

// metricsText is what /metrics shows.
func metricsText(t *testing.T, m *Metrics) string {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// After-ack work waits for a slot at most LaterWait; past it the person
// hears that salesbot is busy and the refusal is counted.
func TestBusyAfterAckWaitIsBoundedToldAndCounted(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	defer close(release)
	started := make(chan struct{}, 1)
	ran := make(chan string, 2)
	r := startWith(t, hooks{slash: func(_ context.Context, cmd slack.SlashCommand) commands.Reply {
		return commands.Reply{Later: func(context.Context) error {
			ran <- cmd.Command
			if cmd.Command == "/slow" {
				started <- struct{}{}
				<-release
			}
			return nil
		}}
	}}, Options{MaxLater: 1, LaterWait: 50 * time.Millisecond})
	r.send(t, "/slow") // takes the only slot
	<-started
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := r.fake.SendSlashCommand(ctx, slackfake.SlashCommand{TeamID: "T1", ChannelID: "C2", UserID: "U2", Command: "/second"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.fake.WaitAck(ctx, id); err != nil {
		t.Fatalf("the second command was not acked while the slot was taken: %v", err)
	}
	m, err := r.fake.WaitMessage(ctx, "C2", func(m slackfake.Message) bool { return strings.Contains(m.Text, "busy") })
	if err != nil {
		t.Fatalf("the person whose work found no slot was not told: %v", err)
	}
	if !strings.Contains(m.Text, "nothing was done") || !strings.Contains(m.Text, "try again") {
		t.Errorf("busy message %q must say nothing was done and what to do", m.Text)
	}
	if got := metricsText(t, r.metrics); !strings.Contains(got, `salesbot_busy_total{where="after_ack"} 1`) {
		t.Errorf("the refusal is not counted in /metrics:\n%s", grep(got, "salesbot_busy"))
	}
	if len(ran) != 1 {
		t.Errorf("refused work ran anyway: %d handlers ran", len(ran))
	}
}

// Past MaxHandlers envelopes in flight, new ones are still acked at once: a
// slash command with the busy message in its ack, a button bare and then
// told.
func TestBusyTooManyEnvelopesAreAckedAndRefused(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	entered := make(chan struct{}, 1)
	r := startWith(t, hooks{
		slash: func(_ context.Context, cmd slack.SlashCommand) commands.Reply {
			if cmd.Command == "/hold" {
				entered <- struct{}{}
				<-release // holds the only handler
			}
			return commands.Reply{Ack: map[string]string{"text": "handled " + cmd.Command}}
		},
		interaction: func(context.Context, slack.InteractionCallback) commands.Reply {
			return commands.Reply{Ack: map[string]string{"text": "handled the click"}}
		},
	}, Options{MaxHandlers: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	hold, err := r.fake.SendSlashCommand(ctx, slackfake.SlashCommand{TeamID: "T1", ChannelID: "C1", UserID: "U1", Command: "/hold"})
	if err != nil {
		t.Fatal(err)
	}
	<-entered
	_, ack := r.send(t, "/help")
	if !strings.Contains(string(ack.Payload), "busy") {
		t.Errorf("a slash command past MaxHandlers must be acked with the busy message, got %s", ack.Payload)
	}
	click, err := r.fake.SendInteraction(ctx, map[string]any{"type": "block_actions", "team": map[string]string{"id": "T1"},
		"user": map[string]string{"id": "U3"}, "actions": []map[string]string{{"action_id": "x", "type": "button"}}})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := r.fake.WaitAck(ctx, click); err != nil || strings.Contains(string(ack.Payload), "handled") {
		t.Errorf("a click past MaxHandlers must get a bare ack: %v %s", err, ack.Payload)
	}
	if _, err := r.fake.WaitMessage(ctx, "DU3", func(m slackfake.Message) bool { return strings.Contains(m.Text, "busy") }); err != nil {
		t.Errorf("the person whose click was refused was not told: %v", err)
	}
	// A form submission keeps the form open, with the message under an input.
	form, err := r.fake.SendInteraction(ctx, map[string]any{"type": "view_submission", "team": map[string]string{"id": "T1"},
		"user": map[string]string{"id": "U4"}, "view": map[string]any{"id": "V1", "type": "modal", "callback_id": "lead_new",
			"state": map[string]any{"values": map[string]any{"company": map[string]any{"company": map[string]any{"type": "plain_text_input", "value": "Acme"}}}}}})
	if err != nil {
		t.Fatal(err)
	}
	if ack, err := r.fake.WaitAck(ctx, form); err != nil || !strings.Contains(string(ack.Payload), `"response_action":"errors"`) ||
		!strings.Contains(string(ack.Payload), `"company":"salesbot is busy`) {
		t.Errorf("a form past MaxHandlers must stay open with the busy message under an input: %v %s", err, ack.Payload)
	}
	if got := metricsText(t, r.metrics); !strings.Contains(got, `salesbot_busy_total{where="handler"} 3`) {
		t.Errorf("refusals not counted in /metrics:\n%s", grep(got, "salesbot_busy"))
	}
	close(release)
	if ack, err := r.fake.WaitAck(ctx, hold); err != nil || !strings.Contains(string(ack.Payload), "handled /hold") {
		t.Errorf("the envelope being handled must finish normally: %v %s", err, ack.Payload)
	}
	// With the slot free again, the next command is handled.
	r.bot.WaitHandlers()
	if _, ack := r.send(t, "/help"); !strings.Contains(string(ack.Payload), "handled /help") {
		t.Errorf("after the overload the bot must serve again, got %s", ack.Payload)
	}
}

func grep(text, substr string) string {
	var out []string
	for _, l := range strings.Split(text, "\n") {
		if strings.Contains(l, substr) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
