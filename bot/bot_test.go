package bot

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"salesbot/commands"
	"salesbot/internal/slackfake"
)

// scripted is a Handler whose answers the test chooses per command.
type scripted map[string]func(cmd slack.SlashCommand) commands.Reply

func (s scripted) SlashCommand(ctx context.Context, cmd slack.SlashCommand) commands.Reply {
	return s[cmd.Command](cmd)
}
func (s scripted) Interaction(context.Context, slack.InteractionCallback) commands.Reply {
	panic("interaction handler exploded")
}
func (s scripted) Event(context.Context, slackevents.EventsAPIEvent) commands.Reply {
	return commands.Reply{}
}

type running struct {
	fake    *slackfake.Server
	bot     *Bot
	metrics *Metrics
	stop    context.CancelFunc
	done    chan error
}

func start(t *testing.T, h Handler) *running {
	t.Helper()
	fake := slackfake.New(t)
	m := NewMetrics()
	b := New(NewAPI("xoxb-test", "xapp-test", fake.APIURL()), h, slog.New(slog.NewTextHandler(io.Discard, nil)), m, Options{})
	ctx, stop := context.WithCancel(context.Background())
	r := &running{fake: fake, bot: b, metrics: m, stop: stop, done: make(chan error, 1)}
	go func() { r.done <- b.Run(ctx) }()
	t.Cleanup(func() {
		stop()
		<-r.done
	})
	wctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fake.WaitConnected(wctx); err != nil {
		t.Fatal(err)
	}
	return r
}

func (r *running) send(t *testing.T, command string) (string, slackfake.Ack) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := r.fake.SendSlashCommand(ctx, slackfake.SlashCommand{TeamID: "T1", ChannelID: "C1", UserID: "U1", Command: command})
	if err != nil {
		t.Fatal(err)
	}
	ack, err := r.fake.WaitAck(ctx, id)
	if err != nil {
		t.Fatalf("no ack for %s: %v", command, err)
	}
	return id, ack
}

func TestPanicsAreRecoveredAnsweredAndTheBotStaysUp(t *testing.T) {
	t.Parallel()
	r := start(t, scripted{
		"/boom": func(slack.SlashCommand) commands.Reply { panic("before the ack") },
		"/late": func(slack.SlashCommand) commands.Reply {
			return commands.Reply{Later: func(context.Context) error { panic("after the ack") }}
		},
		"/ok": func(slack.SlashCommand) commands.Reply { return commands.Reply{Ack: map[string]string{"text": "fine"}} },
	})
	_, ack := r.send(t, "/boom")
	if !strings.Contains(string(ack.Payload), "Something went wrong") {
		t.Errorf("a panic before the ack must be answered in the ack, got %s", ack.Payload)
	}
	r.send(t, "/late")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := r.fake.WaitCall(ctx, "response_url", func(c slackfake.Call) bool { return strings.Contains(string(c.Body), "Something went wrong") }); err != nil {
		t.Errorf("a panic after the ack must be answered through response_url: %v", err)
	}
	// A panicking interaction handler: the envelope is still acked.
	id, err := r.fake.SendInteraction(ctx, map[string]any{"type": "block_actions", "team": map[string]string{"id": "T1"}, "user": map[string]string{"id": "U1"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.fake.WaitAck(ctx, id); err != nil {
		t.Errorf("panicking interaction not acked: %v", err)
	}
	if _, err := r.fake.WaitMessage(ctx, "DU1", func(m slackfake.Message) bool { return strings.Contains(m.Text, "Something went wrong") }); err != nil {
		t.Errorf("the user of a panicking interaction was not told: %v", err)
	}
	_, ack = r.send(t, "/ok")
	if !strings.Contains(string(ack.Payload), "fine") {
		t.Errorf("after panics the bot must keep serving, got %s", ack.Payload)
	}
}

func TestSlowWorkNeverHoldsTheAck(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	finished := make(chan struct{})
	r := start(t, scripted{"/slow": func(slack.SlashCommand) commands.Reply {
		return commands.Reply{Later: func(context.Context) error {
			<-release
			close(finished)
			return nil
		}}
	}})
	// The ack arrives while the work is still blocked.
	r.send(t, "/slow")
	select {
	case <-finished:
		t.Fatal("work finished before it was released")
	default:
	}
	close(release)
	<-finished
}

func TestShutdownFinishesInFlightWork(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	var r *running
	r = start(t, scripted{"/slow": func(cmd slack.SlashCommand) commands.Reply {
		return commands.Reply{Later: func(ctx context.Context) error {
			<-release
			_, _, err := r.bot.api.PostMessageContext(ctx, cmd.UserID, slack.MsgOptionText("done", false))
			return err
		}}
	}})
	r.send(t, "/slow")
	r.stop()
	select {
	case err := <-r.done:
		t.Fatalf("Run returned (%v) while a handler was still running", err)
	default:
	}
	close(release)
	if err := <-r.done; err != nil {
		t.Fatalf("Run after drain: %v", err)
	}
	r.done <- nil // for the cleanup
	if msgs := r.fake.Messages("DU1"); len(msgs) != 1 || msgs[0].Text != "done" {
		t.Errorf("in-flight work did not finish: %+v", msgs)
	}
}

func TestReadyz(t *testing.T) {
	t.Parallel()
	m := NewMetrics()
	var dbErr error
	connected := false
	ops, err := NewOps("127.0.0.1:0", m, func(context.Context) error { return dbErr }, func() bool { return connected })
	if err != nil {
		t.Fatal(err)
	}
	go ops.Serve()
	t.Cleanup(func() { ops.Shutdown(context.Background()) })
	get := func(path string) (int, string) {
		resp, err := http.Get("http://" + ops.Addr() + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("/healthz = %d", code)
	}
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "not connected to Slack") {
		t.Errorf("/readyz while disconnected = %d %q", code, body)
	}
	connected = true
	dbErr = context.DeadlineExceeded
	if code, body := get("/readyz"); code != 503 || !strings.Contains(body, "database unreachable") {
		t.Errorf("/readyz with the database down = %d %q", code, body)
	}
	dbErr = nil
	if code, _ := get("/readyz"); code != 200 {
		t.Errorf("/readyz when ready = %d", code)
	}
	if code, body := get("/metrics"); code != 200 || !strings.Contains(body, "salesbot_socket_connected") {
		t.Errorf("/metrics = %d", code)
	}
}
