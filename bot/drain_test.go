package bot

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"salesbot/commands"
	"salesbot/internal/slackfake"
)

// hooks is a Handler whose every method the test supplies.
type hooks struct {
	slash       func(ctx context.Context, cmd slack.SlashCommand) commands.Reply
	interaction func(ctx context.Context, cb slack.InteractionCallback) commands.Reply
}

func (h hooks) SlashCommand(ctx context.Context, cmd slack.SlashCommand) commands.Reply {
	return h.slash(ctx, cmd)
}
func (h hooks) Interaction(ctx context.Context, cb slack.InteractionCallback) commands.Reply {
	if h.interaction == nil {
		return commands.Reply{}
	}
	return h.interaction(ctx, cb)
}
func (h hooks) Event(context.Context, slackevents.EventsAPIEvent) commands.Reply {
	return commands.Reply{}
}

// startWith is start with options; the test owns stopping it (r.stop, then
// reading r.done), the cleanup only makes sure it ends.
func startWith(t *testing.T, h Handler, opts Options) *running {
	t.Helper()
	fake := slackfake.New(t)
	m := NewMetrics()
	b := New(NewAPI("xoxb-test", "xapp-test", fake.APIURL()), h, slog.New(slog.NewTextHandler(io.Discard, nil)), m, opts)
	ctx, stop := context.WithCancel(context.Background())
	r := &running{fake: fake, bot: b, metrics: m, stop: stop, done: make(chan error, 1)}
	ran := make(chan struct{})
	go func() { r.done <- b.Run(ctx); close(ran) }()
	t.Cleanup(func() { stop(); <-ran })
	wctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := fake.WaitConnected(wctx); err != nil {
		t.Fatal(err)
	}
	return r
}

// waitFor polls cond until it holds or ctx ends.
func waitFor(ctx context.Context, cond func() bool) error {
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	return nil
}

// On SIGTERM the envelopes already read get their acks, then the socket
// closes (so Slack sends new ones to another connection at once), and only
// then does the bot wait for after-ack work, which still finishes.
func TestDrainAcksWhatWasReadClosesTheSocketThenFinishesWork(t *testing.T) {
	t.Parallel()
	const n = 3
	inDecide := make(chan struct{}, n)
	releaseDecide, releaseWork := make(chan struct{}), make(chan struct{})
	var r *running
	r = startWith(t, hooks{slash: func(_ context.Context, cmd slack.SlashCommand) commands.Reply {
		inDecide <- struct{}{}
		<-releaseDecide
		return commands.Reply{Ack: map[string]string{"text": "on it"}, Later: func(ctx context.Context) error {
			<-releaseWork
			_, _, err := r.bot.api.PostMessageContext(ctx, cmd.UserID, slack.MsgOptionText("done", false))
			return err
		}}
	}}, Options{})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	var ids []string
	for range n {
		id, err := r.fake.SendSlashCommand(ctx, slackfake.SlashCommand{TeamID: "T1", ChannelID: "C1", UserID: "U1", Command: "/hold"})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
		<-inDecide
	}
	// SIGTERM while every envelope is read but none is acked yet.
	r.stop()
	close(releaseDecide)

	if err := waitFor(ctx, func() bool { return !r.fake.Connected() }); err != nil {
		t.Fatalf("the socket stayed open while after-ack work was running: %v", err)
	}
	acked := map[string]bool{}
	for _, a := range r.fake.Acks() {
		acked[a.EnvelopeID] = true
	}
	for _, id := range ids {
		if !acked[id] {
			t.Errorf("envelope %s was read but not acked before the socket closed", id)
		}
	}
	select {
	case err := <-r.done:
		t.Fatalf("Run returned (%v) before after-ack work finished", err)
	default:
	}
	close(releaseWork)
	if err := <-r.done; err != nil {
		t.Fatalf("Run after drain: %v", err)
	}
	if msgs := r.fake.Messages("DU1"); len(msgs) != n {
		t.Errorf("after-ack work did not all finish after the socket closed: %d of %d messages", len(msgs), n)
	}
}

// Work still running at the drain timeout is cancelled and Run returns:
// shutdown is bounded whatever a handler does.
func TestDrainTimeoutCancelsWorkStillRunning(t *testing.T) {
	t.Parallel()
	sawCancel := make(chan error, 1)
	started := make(chan struct{})
	r := startWith(t, hooks{slash: func(context.Context, slack.SlashCommand) commands.Reply {
		return commands.Reply{Later: func(ctx context.Context) error {
			close(started)
			<-ctx.Done()
			sawCancel <- ctx.Err()
			return ctx.Err()
		}}
	}}, Options{DrainTimeout: 100 * time.Millisecond})
	r.send(t, "/stuck")
	<-started
	r.stop()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	select {
	case err := <-r.done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-ctx.Done():
		t.Fatal("Run did not return after the drain timeout")
	}
	select {
	case err := <-sawCancel:
		if !errors.Is(err, context.Canceled) {
			t.Errorf("stuck work ended with %v, want its context cancelled by the drain", err)
		}
	case <-ctx.Done():
		t.Fatal("work still running after the drain timeout was never cancelled")
	}
}

// flushAcks reads slack-go's writer queue by reflection: an upgrade that
// renames or retypes it must fail here, not silently drop acks at shutdown.
func TestDrainSeesSlackGoWriterQueue(t *testing.T) {
	t.Parallel()
	c := New(NewAPI("xoxb-test", "xapp-test", "http://127.0.0.1:1/api/"), hooks{}, slog.New(slog.DiscardHandler), NewMetrics(), Options{}).client
	v := reflect.ValueOf(c).Elem().FieldByName("socketModeResponses")
	if !v.IsValid() || v.Kind() != reflect.Chan {
		t.Fatalf("slack-go's socket mode client has no writer queue socketModeResponses any more (%v): revisit flushAcks", v.Kind())
	}
	if queuedResponses(c) != 0 {
		t.Errorf("a new client has %d queued responses", queuedResponses(c))
	}
}
