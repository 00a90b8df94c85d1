package bot

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"salesbot/commands"
)

// ackTimeout bounds queueing an ack on the socket; Slack's deadline is 3 s.
const ackTimeout = 2 * time.Second

const sorry = ":warning: Something went wrong on our side and that did not work. Nothing was changed; please try again, and tell your admin if it keeps happening."

// envelope is what dispatch knows about one envelope, for logs, metrics and
// telling the user when a handler fails.
type envelope struct {
	kind        string // slash_commands, interactive, events_api
	label       string // the command, interaction type or event type
	team, user  string
	responseURL string
}

// dispatch asks the handler what the envelope means, acks it, then runs the
// handler's after-ack work. A panic anywhere is recovered, logged and
// answered with a short apology; the bot stays up.
func (b *Bot) dispatch(ctx context.Context, evt socketmode.Event, received time.Time) {
	env := envelope{kind: string(evt.Type)}
	var reply commands.Reply
	outcome := "ok"
	func() {
		defer func() {
			if r := recover(); r != nil {
				outcome = "panic"
				b.log.Error("handler panicked", "type", env.kind, "label", env.label, "team", env.team, "user", env.user,
					"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				reply = commands.Reply{}
				if evt.Type == socketmode.EventTypeSlashCommand {
					reply.Ack = slack.Msg{ResponseType: slack.ResponseTypeEphemeral, Text: sorry}
				}
			}
		}()
		reply = b.decide(ctx, evt, &env)
	}()
	journalID, recorded := b.journal(ctx, evt, env, &reply)
	if !recorded {
		outcome = "not_saved"
	}
	b.ack(ctx, evt, reply.Ack, received)
	if outcome == "panic" && evt.Type != socketmode.EventTypeSlashCommand {
		b.tell(ctx, env, sorry)
	}
	if reply.Later != nil && outcome == "ok" {
		outcome = b.runLater(ctx, env, reply.Later)
		b.done(ctx, journalID)
	} else if reply.Later != nil && outcome == "not_saved" {
		b.runLater(ctx, env, reply.Later) // tells the person
	}
	b.metrics.envelopes.WithLabelValues(env.kind, outcome).Inc()
	if evt.Type == socketmode.EventTypeSlashCommand {
		b.metrics.commands.WithLabelValues(env.label, outcome).Inc()
	}
}

// decide calls the handler for the envelope's kind.
func (b *Bot) decide(ctx context.Context, evt socketmode.Event, env *envelope) commands.Reply {
	switch data := evt.Data.(type) {
	case slack.SlashCommand:
		env.label, env.team, env.user, env.responseURL = data.Command, data.TeamID, data.UserID, data.ResponseURL
		return b.handler.SlashCommand(ctx, data)
	case slack.InteractionCallback:
		env.label, env.team, env.user, env.responseURL = string(data.Type), data.Team.ID, data.User.ID, data.ResponseURL
		return b.handler.Interaction(ctx, data)
	case slackevents.EventsAPIEvent:
		env.label, env.team = data.InnerEvent.Type, data.TeamID
		return b.handler.Event(ctx, data)
	}
	b.log.Warn("envelope with an unexpected payload", "type", evt.Type)
	return commands.Reply{}
}

// ack acknowledges the envelope with payload (nil = bare ack) and records how
// long the envelope waited for it.
func (b *Bot) ack(ctx context.Context, evt socketmode.Event, payload any, received time.Time) {
	if evt.Request == nil || evt.Request.EnvelopeID == "" {
		b.pendingAcks.Done()
		return
	}
	if evt.Request.RetryAttempt > 0 {
		b.log.Info("redelivered envelope", "type", evt.Type, "retry_attempt", evt.Request.RetryAttempt, "retry_reason", evt.Request.RetryReason)
	}
	defer b.pendingAcks.Done()
	actx, cancel := context.WithTimeout(ctx, ackTimeout)
	defer cancel()
	err := b.client.AckCtx(actx, evt.Request.EnvelopeID, payload)
	if err != nil && payload != nil {
		// An oversized or unencodable payload must not cost the ack itself.
		b.log.Error("ack payload refused, sending a bare ack", "type", evt.Type, "error", err)
		err = b.client.AckCtx(actx, evt.Request.EnvelopeID, nil)
	}
	if err != nil {
		b.log.Error("ack failed", "type", evt.Type, "error", err)
		return
	}
	b.metrics.ackLatency.WithLabelValues(string(evt.Type)).Observe(time.Since(received).Seconds())
}

// runLater runs after-ack work with a bound on time and on how much runs at
// once, and returns the outcome for metrics.
func (b *Bot) runLater(ctx context.Context, env envelope, later func(context.Context) error) (outcome string) {
	if !b.takeLaterSlot(ctx, env) {
		return "busy"
	}
	defer func() { <-b.laterSlot }()
	ctx, cancel := context.WithTimeout(ctx, b.opts.LaterTimeout)
	defer cancel()
	defer func() {
		if r := recover(); r != nil {
			outcome = "panic"
			b.log.Error("handler panicked after ack", "type", env.kind, "label", env.label, "team", env.team, "user", env.user,
				"panic", fmt.Sprint(r), "stack", string(debug.Stack()))
			b.tell(ctx, env, sorry)
		}
	}()
	if err := later(ctx); err != nil {
		b.log.Error("handler failed", "type", env.kind, "label", env.label, "team", env.team, "user", env.user, "error", err)
		b.tellFailure(ctx, env, err)
		return "error"
	}
	return "ok"
}

// tell sends a short message to the person behind the envelope: through the
// response_url when there is one, else (or when that fails) as a direct
// message. It has a deadline of its own: the work it reports on may have
// run out of time.
func (b *Bot) tell(ctx context.Context, env envelope, text string) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), tellTimeout)
	defer cancel()
	var err error
	if env.responseURL != "" {
		if err = b.api.Respond(ctx, env.responseURL, slack.WebhookMessage{ResponseType: slack.ResponseTypeEphemeral, Text: text}); err == nil {
			return
		}
	}
	if env.user != "" {
		_, _, err = b.api.PostMessageContext(ctx, env.user, slack.MsgOptionText(text, false))
	}
	if err != nil {
		b.log.Warn("could not tell the user about a failure", "user", env.user, "error", err)
	}
}

// tellTimeout bounds telling someone that their request failed.
const tellTimeout = 5 * time.Second
