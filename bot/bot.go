// Package bot is salesbot's Slack transport: the Socket Mode connection,
// envelope dispatch and acks, and the Web API client. What an envelope means
// is decided by the commands package; bot only makes sure it is acked in
// time, that slow work runs after the ack, and that nothing takes it down.
package bot

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"salesbot/commands"
)

// Handler decides what each envelope means. *commands.App implements it.
// The methods run before the ack, so they must not block: anything slow goes
// in the returned Reply's Later.
type Handler interface {
	SlashCommand(ctx context.Context, cmd slack.SlashCommand) commands.Reply
	Interaction(ctx context.Context, cb slack.InteractionCallback) commands.Reply
	Event(ctx context.Context, ev slackevents.EventsAPIEvent) commands.Reply
}

// Options tune the bot; the zero value is what production uses.
type Options struct {
	// DrainTimeout bounds how long Run waits for in-flight handlers at shutdown.
	DrainTimeout time.Duration
	// LaterTimeout bounds one handler's after-ack work.
	LaterTimeout time.Duration
	// MaxLater caps after-ack work running at once; acks never wait for it.
	MaxLater int
	// Journal, when set, records each envelope with after-ack work before
	// it is acked, so that the work survives this process; see Replay.
	Journal Journal
}

// Bot owns the Socket Mode connection and dispatches envelopes to a Handler.
type Bot struct {
	api       *API
	client    *socketmode.Client
	handler   Handler
	log       *slog.Logger
	metrics   *Metrics
	opts      Options
	connected atomic.Bool
	handlers  sync.WaitGroup
	laterSlot chan struct{}
}

// New builds a bot on api that hands envelopes to h.
func New(api *API, h Handler, log *slog.Logger, m *Metrics, opts Options) *Bot {
	if opts.DrainTimeout == 0 {
		opts.DrainTimeout = 25 * time.Second
	}
	if opts.LaterTimeout == 0 {
		opts.LaterTimeout = 30 * time.Second
	}
	if opts.MaxLater == 0 {
		// High enough that a modal's trigger_id (3 s) never waits for a
		// slot behind slow work; the database pool bounds the rest.
		opts.MaxLater = 512
	}
	return &Bot{
		api:       api,
		client:    socketmode.New(api.Client),
		handler:   h,
		log:       log,
		metrics:   m,
		opts:      opts,
		laterSlot: make(chan struct{}, opts.MaxLater),
	}
}

// Connected reports whether the Socket Mode connection is up.
func (b *Bot) Connected() bool { return b.connected.Load() }

// Run connects and serves until ctx is cancelled or Slack refuses the token.
// On cancel it stops reading envelopes (unread ones are redelivered by Slack
// to another connection), waits for the handlers it holds, then disconnects.
func (b *Bot) Run(ctx context.Context) error {
	// The socket outlives ctx so that acks and replies of in-flight handlers
	// still go out while draining.
	sockCtx, closeSocket := context.WithCancel(context.WithoutCancel(ctx))
	defer closeSocket()
	sockErr := make(chan error, 1)
	go func() { sockErr <- b.client.RunContext(sockCtx) }()

	// Handlers run on a context that shutdown does not cancel: they finish.
	work := context.WithoutCancel(ctx)
	var err error
loop:
	for {
		select {
		case <-ctx.Done():
			break loop
		case err = <-sockErr:
			b.connected.Store(false)
			b.metrics.connected.Set(0)
			err = errors.Join(errors.New("socket mode stopped"), err)
			break loop
		case evt := <-b.client.Events:
			b.onEvent(work, evt)
		}
	}
	b.drain()
	closeSocket()
	if err == nil {
		<-sockErr
	}
	b.connected.Store(false)
	b.metrics.connected.Set(0)
	return err
}

// WaitHandlers blocks until every envelope handler started so far has
// finished, its after-ack work included.
func (b *Bot) WaitHandlers() { b.handlers.Wait() }

func (b *Bot) drain() {
	done := make(chan struct{})
	go func() { b.WaitHandlers(); close(done) }()
	select {
	case <-done:
		b.log.Info("all handlers finished")
	case <-time.After(b.opts.DrainTimeout):
		b.log.Warn("shutdown: handlers still running after the drain timeout", "timeout", b.opts.DrainTimeout)
	}
}

// onEvent tracks the connection and hands envelopes to their own goroutine,
// so one slow handler never holds up the acks of the others.
func (b *Bot) onEvent(ctx context.Context, evt socketmode.Event) {
	switch evt.Type {
	case socketmode.EventTypeConnected:
		b.connected.Store(true)
		b.metrics.connected.Set(1)
		b.metrics.connects.Inc()
		b.log.Info("connected to Slack")
	case socketmode.EventTypeConnecting:
		b.connected.Store(false)
		b.metrics.connected.Set(0)
		b.log.Debug("connecting to Slack")
	case socketmode.EventTypeConnectionError:
		b.connected.Store(false)
		b.metrics.connected.Set(0)
		if e, ok := evt.Data.(*slack.ConnectionErrorEvent); ok {
			b.log.Warn("cannot connect to Slack, retrying", "error", e.ErrorObj, "backoff", e.Backoff)
		}
	case socketmode.EventTypeDisconnect:
		// slack-go reconnects by itself; never ack a disconnect.
		b.connected.Store(false)
		b.metrics.connected.Set(0)
		b.log.Info("Slack asked to reconnect")
	case socketmode.EventTypeInvalidAuth:
		b.log.Error("Slack refused the app token (invalid_auth)")
	case socketmode.EventTypeErrorBadMessage, socketmode.EventTypeIncomingError, socketmode.EventTypeErrorWriteFailed:
		b.log.Warn("socket mode error", "type", evt.Type, "data", evt.Data)
	case socketmode.EventTypeHello:
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		// Stamped here, so the ack latency counts the wait for a goroutine too.
		received := time.Now()
		b.handlers.Add(1)
		b.metrics.inFlight.Inc()
		go func() {
			defer b.handlers.Done()
			defer b.metrics.inFlight.Dec()
			b.dispatch(ctx, evt, received)
		}()
	default:
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			// Unknown envelope kinds still need an ack, or Slack retries them.
			b.ack(ctx, evt, nil, time.Now())
		}
	}
}
