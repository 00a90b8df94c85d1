package bot

import (
	"context"
	"errors"
	"reflect"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

const (
	// refusalWorkers tell people whose interactions were refused as busy;
	// refusalQueue is how many may wait for them.
	refusalWorkers = 2
	refusalQueue   = 64
	// writeGrace lets slack-go's writer finish the frame it took off its
	// queue last before the socket closes under it.
	writeGrace = 50 * time.Millisecond
)

// takeBuffered handles the envelopes slack-go has already read off the
// socket but not handed over: Slack counts them as delivered to this
// connection, and a slash command that is never acked is not redelivered,
// its user sees it time out. New ones that arrive after this are left
// unacked, and Slack redelivers them once the socket closes.
func (b *Bot) takeBuffered(ctx context.Context) {
	for n := len(b.client.Events); n > 0; n-- {
		b.onEvent(ctx, <-b.client.Events)
	}
}

// flushAcks waits until every envelope read so far has its ack queued and
// slack-go's writer has sent it: closing the socket drops whatever is still
// queued, and an envelope read but never acked waits out Slack's timeout
// before it is redelivered. Bounded: an ack gives up after ackTimeout.
func (b *Bot) flushAcks() {
	queued := make(chan struct{})
	go func() { b.pendingAcks.Wait(); close(queued) }()
	t := time.NewTimer(ackTimeout + time.Second)
	defer t.Stop()
	select {
	case <-queued:
	case <-t.C:
		b.log.Warn("shutdown: some envelopes were not acked in time; Slack will redeliver them")
		return
	}
	for queuedResponses(b.client) > 0 {
		select {
		case <-t.C:
			b.log.Warn("shutdown: acks still queued when the socket closed; Slack will redeliver them")
			return
		case <-time.After(5 * time.Millisecond):
		}
	}
	time.Sleep(writeGrace)
}

// queuedResponses is how many frames wait in slack-go's writer queue. The
// client has no flush and keeps the queue unexported, so it is read by
// reflection (the version is pinned in go.mod); 0 if the field is gone.
func queuedResponses(c *socketmode.Client) int {
	v := reflect.ValueOf(c).Elem().FieldByName("socketModeResponses")
	if !v.IsValid() || v.Kind() != reflect.Chan {
		return 0
	}
	return v.Len()
}

// socketErrorCause is the error inside a socket mode error event, without the
// frame it came with.
func socketErrorCause(data any) error {
	switch d := data.(type) {
	case *socketmode.ErrorBadMessage:
		return d.Cause
	case *socketmode.ErrorWriteFailed:
		return d.Cause
	case *slack.IncomingEventError:
		return d.ErrorObj
	}
	return errors.New("unknown socket mode error")
}
