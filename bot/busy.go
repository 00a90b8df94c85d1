package bot

import (
	"context"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/socketmode"
)

// busyText is what a person hears when salesbot refuses work because it is
// overloaded: nothing was started, so trying again is safe.
const busyText = ":hourglass: salesbot is busy right now, so nothing was done. Please try again in a minute."

// busyFormText goes under a form's input when a submission is refused.
const busyFormText = "salesbot is busy right now, so nothing was saved. Please submit again in a minute."

// takeLaterSlot waits for a slot to run after-ack work in, at most
// LaterWait. Past it the person is told salesbot is busy and the refusal
// is counted; the caller then drops the work.
func (b *Bot) takeLaterSlot(ctx context.Context, env envelope) bool {
	select {
	case b.laterSlot <- struct{}{}:
		return true
	default:
	}
	t := time.NewTimer(b.opts.LaterWait)
	defer t.Stop()
	select {
	case b.laterSlot <- struct{}{}:
		return true
	case <-t.C:
	case <-ctx.Done():
	}
	b.metrics.busy.WithLabelValues("after_ack").Inc()
	b.log.Warn("busy: no slot for after-ack work", "type", env.kind, "label", env.label, "team", env.team, "user", env.user,
		"waited", b.opts.LaterWait, "max_later", b.opts.MaxLater)
	b.tell(ctx, env, busyText)
	return false
}

// refuse answers an envelope that arrived while MaxHandlers were already
// running: it is acked at once, a slash command with the busy message in its
// ack, anything else bare and then told, by the few refusal workers.
func (b *Bot) refuse(evt socketmode.Event, received time.Time) {
	b.metrics.busy.WithLabelValues("handler").Inc()
	env := envelope{kind: string(evt.Type)}
	describe(evt, &env)
	b.metrics.envelopes.WithLabelValues(env.kind, "busy").Inc()
	if evt.Type == socketmode.EventTypeSlashCommand {
		b.metrics.commands.WithLabelValues(env.label, "busy").Inc()
	}
	b.log.Warn("busy: too many envelopes in flight", "type", env.kind, "label", env.label, "team", env.team, "user", env.user,
		"max_handlers", b.opts.MaxHandlers)
	if evt.Type == socketmode.EventTypeSlashCommand {
		b.ack(context.Background(), evt, slack.Msg{ResponseType: slack.ResponseTypeEphemeral, Text: busyText}, received)
		return
	}
	if cb, ok := evt.Data.(slack.InteractionCallback); ok && cb.Type == slack.InteractionTypeViewSubmission && cb.View.State != nil {
		// A form keeps what was typed in it: the busy message goes under
		// one of its inputs instead of closing it.
		if block := firstInput(cb.View); block != "" {
			b.ack(context.Background(), evt, slack.NewErrorsViewSubmissionResponse(map[string]string{block: busyFormText}), received)
			return
		}
	}
	b.ack(context.Background(), evt, nil, received)
	if evt.Type != socketmode.EventTypeInteractive || (env.responseURL == "" && env.user == "") {
		return
	}
	select {
	case b.refusals <- env:
	default:
		// The refusal workers are behind too: the ack went out, the
		// person's click did nothing, and the log says so.
		b.log.Warn("busy: could not tell the user either", "user", env.user)
	}
}

// tellRefusals tells people whose interactions were refused, until ctx ends.
func (b *Bot) tellRefusals(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case env := <-b.refusals:
			b.tell(ctx, env, busyText)
		}
	}
}

// describe fills env from the envelope's payload without running any
// handler: who sent it, and where to answer.
func describe(evt socketmode.Event, env *envelope) {
	switch data := evt.Data.(type) {
	case slack.SlashCommand:
		env.label, env.team, env.user, env.responseURL = data.Command, data.TeamID, data.UserID, data.ResponseURL
	case slack.InteractionCallback:
		env.label, env.team, env.user, env.responseURL = string(data.Type), data.Team.ID, data.User.ID, data.ResponseURL
	}
}
