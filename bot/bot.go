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
	// DrainTimeout bounds how long Run waits for after-ack work at shutdown,
	// once the socket is closed; work still running then is cancelled.
	DrainTimeout time.Duration
	// LaterTimeout bounds one handler's after-ack work.
	LaterTimeout time.Duration
	// MaxLater caps after-ack work running at once; acks never wait for it.
	MaxLater int
	// LaterWait bounds how long after-ack work waits for one of the MaxLater
	// slots; past it the person is told salesbot is busy.
	LaterWait time.Duration
	// MaxHandlers caps envelopes being handled at once (each has a
	// goroutine); past it envelopes are acked at once and refused as busy.
	MaxHandlers int
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

	handlerSlot chan struct{}
	pendingAcks sync.WaitGroup // envelopes read whose ack is not yet queued
	refusals    chan envelope  // interactions refused as busy, to be told
}

// New builds a bot on api that hands envelopes to h.
func New(api *API, h Handler, log *slog.Logger, m *Metrics, opts Options) *Bot {
	if opts.DrainTimeout == 0 {
		// Leaves room, within the 20 s a shutdown may take, for flushing
		// acks first and stopping the job queue after.
		opts.DrainTimeout = 12 * time.Second
	}
	if opts.LaterTimeout == 0 {
		opts.LaterTimeout = 30 * time.Second
	}
	if opts.MaxLater == 0 {
		// High enough that a modal's trigger_id (3 s) never waits for a
		// slot behind slow work; the database pool bounds the rest.
		opts.MaxLater = 512
	}
	if opts.LaterWait == 0 {
		// A modal's trigger_id dies 3 s after the click: past 2 s of waiting
		// the work is unlikely to succeed anyway.
		opts.LaterWait = 2 * time.Second
	}
	if opts.MaxHandlers == 0 {
		opts.MaxHandlers = 4 * opts.MaxLater
	}
	return &Bot{
		api:       api,
		client:    socketmode.New(api.Client),
		handler:   h,
		log:       log,
		metrics:   m,
		opts:      opts,
		laterSlot: make(chan struct{}, opts.MaxLater),

		handlerSlot: make(chan struct{}, opts.MaxHandlers),
		refusals:    make(chan envelope, refusalQueue),
	}
}

// Connected reports whether the Socket Mode connection is up.
func (b *Bot) Connected() bool { return b.connected.Load() }

// Run connects and serves until ctx is cancelled or Slack refuses the token.
// On cancel it stops reading envelopes, sends the acks of those it has read,
// closes the socket (Slack redelivers unread envelopes to another connection
// at once), then waits for after-ack work, at most DrainTimeout.
func (b *Bot) Run(ctx context.Context) error {
	// The socket outlives ctx until the acks of what was read have gone out.
	sockCtx, closeSocket := context.WithCancel(context.WithoutCancel(ctx))
	defer closeSocket()
	sockErr := make(chan error, 1)
	go func() { sockErr <- b.client.RunContext(sockCtx) }()

	// Handlers run on a context that shutdown cancels only after the drain
	// timeout: until then they finish.
	work, stopWork := context.WithCancel(context.WithoutCancel(ctx))
	defer stopWork()
	var refusers sync.WaitGroup
	for range refusalWorkers {
		refusers.Go(func() { b.tellRefusals(work) })
	}
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
	if err == nil {
		b.takeBuffered(work)
		b.flushAcks()
		closeSocket()
		<-sockErr
		b.log.Info("shutdown: socket closed, finishing after-ack work")
	}
	b.connected.Store(false)
	b.metrics.connected.Set(0)
	b.drain(stopWork)
	stopWork()
	refusers.Wait()
	return err
}

// WaitHandlers blocks until every envelope handler started so far has
// finished, its after-ack work included.
func (b *Bot) WaitHandlers() { b.handlers.Wait() }

// drain waits for the handlers, at most DrainTimeout, then cancels the
// work of those still running and returns without them.
func (b *Bot) drain(stopWork context.CancelFunc) {
	done := make(chan struct{})
	go func() { b.WaitHandlers(); close(done) }()
	t := time.NewTimer(b.opts.DrainTimeout)
	defer t.Stop()
	select {
	case <-done:
		b.log.Info("all handlers finished")
	case <-t.C:
		b.log.Warn("shutdown: handlers still running after the drain timeout; cancelling them", "timeout", b.opts.DrainTimeout)
		stopWork()
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
		// Only the cause: the frame itself carries response URLs and trigger IDs.
		b.log.Warn("socket mode error", "type", evt.Type, "error", socketErrorCause(evt.Data))
	case socketmode.EventTypeHello:
	case socketmode.EventTypeSlashCommand, socketmode.EventTypeInteractive, socketmode.EventTypeEventsAPI:
		// Stamped here, so the ack latency counts the wait for a goroutine too.
		received := time.Now()
		b.pendingAcks.Add(1)
		select {
		case b.handlerSlot <- struct{}{}:
		default:
			b.refuse(evt, received)
			return
		}
		b.handlers.Add(1)
		b.metrics.inFlight.Inc()
		go func() {
			defer b.handlers.Done()
			defer b.metrics.inFlight.Dec()
			defer func() { <-b.handlerSlot }()
			b.dispatch(ctx, evt, received)
		}()
	default:
		if evt.Request != nil && evt.Request.EnvelopeID != "" {
			// Unknown envelope kinds still need an ack, or Slack retries them.
			b.pendingAcks.Add(1)
			b.ack(ctx, evt, nil, time.Now())
		}
	}
}
