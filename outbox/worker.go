package outbox

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/riverqueue/river"
	"github.com/slack-go/slack"
)

const (
	// eventType marks outbox posts in Slack message metadata; the payload
	// holds the job ID that a re-run looks for in history.
	eventType = "salesbot_outbox"
	// postTimeout bounds one chat.postMessage or chat.update call.
	postTimeout = 10 * time.Second
	// maxRetryDelay caps retryDelay's doubling.
	maxRetryDelay = 5 * time.Minute
)

// permanent are the Slack errors no retry can fix: the job is cancelled
// instead of retried for 85 minutes.
var permanent = map[string]bool{
	"channel_not_found": true, "not_in_channel": true, "is_archived": true,
	"invalid_blocks": true, "invalid_blocks_format": true, "msg_too_long": true,
	"no_text": true, "too_many_attachments": true, "restricted_action": true,
	"cannot_dm_bot": true, "user_not_found": true, "user_disabled": true,
	"message_not_found": true, "cant_update_message": true, "edit_window_closed": true,
}

// worker delivers one Message per job.
type worker struct {
	river.WorkerDefaults[deliveryArgs]
	poster    Poster
	log       *slog.Logger
	now       func() time.Time
	metrics   *metrics
	pacer     *pacer
	afterPost func(jobID int64)
}

// Work waits for the channel's turn, makes sure an earlier run did not
// already post the message, and posts it.
func (w *worker) Work(ctx context.Context, job *river.Job[deliveryArgs]) error {
	a := job.Args
	wait, snooze := w.pacer.turn(laneKey(a), job.ID)
	if snooze {
		return river.JobSnooze(wait)
	}
	if wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return ctx.Err() // nothing was sent: River just runs it again
		case <-t.C:
		}
	}
	if a.Update != "" {
		return w.update(ctx, job)
	}
	// Attempt 1 cannot have posted before. Later attempts follow an error
	// or a rescue, either of which may come after Slack took the message.
	// (A run interrupted by a stop is re-run with the same attempt number,
	// which is why a post is never interrupted: see post.)
	if job.Attempt > 1 {
		found, err := w.alreadyPosted(ctx, job)
		var slackErr slack.SlackErrorResponse
		switch {
		case errors.As(err, &slackErr):
			// Slack refused the lookup (missing history scope, not a
			// member of a public channel): deliver rather than lose
			// the message; only a crash right after a post could
			// then show it twice.
			w.log.WarnContext(ctx, "outbox: cannot check history before retrying; posting", attrs(job, "error", err)...)
		case err != nil:
			return w.fail(ctx, job, "conversations.history", err)
		case found:
			w.metrics.deduplicated.WithLabelValues(a.MsgKind).Inc()
			w.log.InfoContext(ctx, "outbox: already delivered by an earlier run", attrs(job)...)
			return nil
		}
	}
	return w.post(ctx, job)
}

func (w *worker) post(ctx context.Context, job *river.Job[deliveryArgs]) error {
	opts, err := messageOptions(job.Args)
	if err != nil {
		return w.fail(ctx, job, "chat.postMessage", err)
	}
	opts = append(opts, slack.MsgOptionMetadata(slack.SlackMetadata{
		EventType:    eventType,
		EventPayload: map[string]any{"job_id": job.ID},
	}))
	// The post ignores the job's cancellation. Cut off in flight, it may
	// still reach Slack, and River requeues a job stopped by shutdown with
	// its attempt number unchanged: the re-run would not look in history.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), postTimeout)
	defer cancel()
	channel, ts, err := w.poster.PostMessageContext(pctx, job.Args.Channel, opts...)
	if err != nil {
		return w.fail(ctx, job, "chat.postMessage", err)
	}
	if w.afterPost != nil {
		w.afterPost(job.ID)
	}
	w.delivered(ctx, job, channel, ts)
	w.shareChart(pctx, job, channel)
	return nil
}

// shareChart shares the message's chart in its channel. A failure is only
// logged: the message, which says the same in words, is out.
func (w *worker) shareChart(ctx context.Context, job *river.Job[deliveryArgs], channel string) {
	c := job.Args.Chart
	if c == nil {
		return
	}
	_, err := w.poster.UploadFileContext(ctx, slack.UploadFileParameters{
		Channel: channel, Filename: c.Filename, Title: c.Title,
		Reader: bytes.NewReader(c.PNG), FileSize: len(c.PNG),
	})
	if err != nil {
		w.log.WarnContext(ctx, "outbox: chart not shared", attrs(job, "slack_channel", channel, "error", err)...)
	}
}

// update edits an earlier message. chat.update sets the message to the
// same content however often it runs, so it needs no history check.
func (w *worker) update(ctx context.Context, job *river.Job[deliveryArgs]) error {
	opts, err := messageOptions(job.Args)
	if err != nil {
		return w.fail(ctx, job, "chat.update", err)
	}
	channel, err := w.conversation(ctx, job.Args.Channel)
	if err != nil {
		return w.fail(ctx, job, "conversations.open", err)
	}
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), postTimeout)
	defer cancel()
	channel, ts, _, err := w.poster.UpdateMessageContext(pctx, channel, job.Args.Update, opts...)
	if err != nil {
		return w.fail(ctx, job, "chat.update", err)
	}
	w.delivered(ctx, job, channel, ts)
	return nil
}

func (w *worker) delivered(ctx context.Context, job *river.Job[deliveryArgs], channel, ts string) {
	latency := w.now().Sub(job.CreatedAt)
	w.metrics.delivered.WithLabelValues(job.Args.MsgKind).Inc()
	w.metrics.latency.WithLabelValues(job.Args.MsgKind).Observe(latency.Seconds())
	w.log.InfoContext(ctx, "outbox: delivered",
		attrs(job, "slack_channel", channel, "ts", ts, "latency_ms", latency.Milliseconds())...)
}

// fail turns a Slack error into what River should do: snooze for a rate
// limit (no attempt used), cancel for an error no retry can fix, retry with
// backoff for the rest.
func (w *worker) fail(ctx context.Context, job *river.Job[deliveryArgs], call string, err error) error {
	kind := job.Args.MsgKind
	var limited *slack.RateLimitedError
	if errors.As(err, &limited) {
		d := max(limited.RetryAfter, time.Second)
		w.pacer.backOff(laneKey(job.Args), d)
		w.metrics.rateLimited.WithLabelValues(kind).Inc()
		w.log.InfoContext(ctx, "outbox: rate limited by Slack; snoozing", attrs(job, "call", call, "retry_after", d)...)
		return river.JobSnooze(d)
	}
	err = fmt.Errorf("outbox: %s for %s to %s: %w", call, kind, job.Args.Channel, err)
	var slackErr slack.SlackErrorResponse
	if errors.As(err, &slackErr) && permanent[slackErr.Err] {
		w.metrics.failed.WithLabelValues(kind, slackErr.Err).Inc()
		w.log.ErrorContext(ctx, "outbox: undeliverable; cancelled", attrs(job, "error", err)...)
		return river.JobCancel(err)
	}
	if job.Attempt >= job.MaxAttempts {
		w.metrics.failed.WithLabelValues(kind, "attempts_exhausted").Inc()
		w.log.ErrorContext(ctx, "outbox: giving up after the last attempt", attrs(job, "error", err)...)
	}
	return err
}

// NextRetry retries quickly at first (a blip, a lost response) and then
// doubles up to five minutes; with maxAttempts that is about 85 minutes in
// all. It uses the real clock, as River does.
func (w *worker) NextRetry(job *river.Job[deliveryArgs]) time.Time {
	return time.Now().Add(retryDelay(job.Attempt))
}

func retryDelay(attempt int) time.Duration {
	d := maxRetryDelay
	if attempt >= 1 && attempt < 20 {
		d = min(time.Second<<(attempt-1), maxRetryDelay)
	}
	// Up to 10% jitter keeps a burst that failed together from retrying
	// together.
	return d + rand.N(d/10+1)
}

func messageOptions(a deliveryArgs) ([]slack.MsgOption, error) {
	opts := []slack.MsgOption{slack.MsgOptionText(a.Text, false)}
	if len(a.Blocks) > 0 {
		blocks, err := parseBlocks(a.Blocks)
		if err != nil {
			// Enqueue checked them, so only a job written by
			// something else gets here: a retry would fail the same way.
			return nil, slack.SlackErrorResponse{Err: "invalid_blocks"}
		}
		opts = append(opts, slack.MsgOptionBlocks(blocks...))
	}
	return opts, nil
}

// laneKey is the pacing key: one lane per channel (or DM) and workspace.
func laneKey(a deliveryArgs) string { return a.TeamID + "/" + a.Channel }

func attrs(job *river.Job[deliveryArgs], extra ...any) []any {
	return append([]any{"job_id", job.ID, "kind", job.Args.MsgKind, "team_id", job.Args.TeamID,
		"channel", job.Args.Channel, "attempt", job.Attempt}, extra...)
}
