package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"runtime/debug"
	"slices"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"

	"salesbot/commands"
)

// Journal makes an ack mean durable. Before an envelope with after-ack work
// is acked, Record stores it where every replica can find it; Done removes
// it once the work has run here. If this process dies in between, another
// replica replays the envelope (see Replay) after the recorded delay.
type Journal interface {
	// Record journals the envelope for its workspace's replicas.
	Record(ctx context.Context, team, typ string, payload json.RawMessage) (id int64, err error)
	Done(ctx context.Context, id int64) error
}

// journalTimeout bounds recording an envelope, so that the ack stays far
// inside Slack's 3 s even when the database does not answer.
const journalTimeout = time.Second

// notSaved is what a person hears when their envelope could not be recorded:
// nothing of it was done.
const notSaved = ":warning: The database is not reachable right now, so that was not saved. Nothing was changed; please try again in a minute."

// journal records the envelope of a reply with after-ack work. It returns
// false, with the reply turned into telling the person nothing was saved,
// when the journal refused it: the work must then not run.
func (b *Bot) journal(ctx context.Context, evt socketmode.Event, env envelope, reply *commands.Reply) (int64, bool) {
	if b.opts.Journal == nil || reply.Later == nil || reply.Transient || evt.Request == nil {
		return 0, true
	}
	jctx, cancel := context.WithTimeout(ctx, journalTimeout)
	defer cancel()
	id, err := b.opts.Journal.Record(jctx, env.team, string(evt.Type), forReplay(evt))
	if err == nil {
		return id, true
	}
	b.log.Error("could not record the envelope; nothing was done", "type", env.kind, "label", env.label,
		"team", env.team, "user", env.user, "error", err)
	reply.Later = nil
	reply.Ack = nil
	switch data := evt.Data.(type) {
	case slack.SlashCommand:
		reply.Ack = slack.Msg{ResponseType: slack.ResponseTypeEphemeral, Text: notSaved}
	case slack.InteractionCallback:
		if data.Type == slack.InteractionTypeViewSubmission {
			if block := firstInput(data.View); block != "" {
				// The modal stays open with what the person typed.
				reply.Ack = slack.NewErrorsViewSubmissionResponse(map[string]string{block: notSaved})
				break
			}
		}
		reply.Later = func(ctx context.Context) error { b.tell(ctx, env, notSaved); return nil }
	}
	return 0, false
}

// forReplay is the envelope's payload as Replay needs it. An interaction
// from a view or a message carries everything that view or message shows
// (often most of the payload); a handler reads what the person typed or
// chose (the view's state, its ID, callback ID and private metadata, the
// actions), never the blocks shown, so those are left out of the journal.
// Everything else stays as Slack sent it. Other envelopes are kept whole.
func forReplay(evt socketmode.Event) json.RawMessage {
	payload := evt.Request.Payload
	cb, ok := evt.Data.(slack.InteractionCallback)
	if !ok || (len(cb.View.Blocks.BlockSet) == 0 && len(cb.Message.Blocks.BlockSet) == 0 && len(cb.Message.Attachments) == 0) {
		return payload
	}
	trimmed, _ := withoutMembers(payload, []string{"view", "message"}, []string{"blocks", "attachments"})
	return trimmed
}

// firstInput is the block ID of the view's first input, where an error
// shows at the top of the form.
func firstInput(v slack.View) string {
	for _, blk := range v.Blocks.BlockSet {
		if in, ok := blk.(*slack.InputBlock); ok && in.BlockID != "" {
			return in.BlockID
		}
	}
	if v.State == nil || len(v.State.Values) == 0 {
		return ""
	}
	// Without the view's blocks, any input block the state names will do.
	return slices.Sorted(maps.Keys(v.State.Values))[0]
}

// done removes the envelope from the journal once its work ran here,
// whatever the outcome: a failure has already been told to the person.
func (b *Bot) done(ctx context.Context, id int64) {
	if id == 0 {
		return
	}
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	if err := b.opts.Journal.Done(dctx, id); err != nil {
		// The envelope will be replayed; its writes are keyed, so that
		// changes nothing twice.
		b.log.Warn("could not clear a journaled envelope", "journal_id", id, "error", err)
	}
}

// Replay handles an envelope that another process recorded and acked but
// did not finish: it decides again what the envelope means (the ack is long
// gone) and runs the after-ack work. It returns an error only when the
// envelope cannot be read, so that it is not retried forever otherwise.
func (b *Bot) Replay(ctx context.Context, typ string, payload json.RawMessage) (err error) {
	evt := socketmode.Event{Type: socketmode.EventType(typ)}
	switch evt.Type {
	case socketmode.EventTypeSlashCommand:
		var cmd slack.SlashCommand
		err = json.Unmarshal(payload, &cmd)
		evt.Data = cmd
	case socketmode.EventTypeInteractive:
		var cb slack.InteractionCallback
		err = json.Unmarshal(payload, &cb)
		evt.Data = cb
	case socketmode.EventTypeEventsAPI:
		evt.Data, err = slackevents.ParseEvent(payload, slackevents.OptionNoVerifyToken())
	default:
		return fmt.Errorf("replay: unknown envelope type %q", typ)
	}
	if err != nil {
		return fmt.Errorf("replay %s: %w", typ, err)
	}
	env := envelope{kind: typ}
	var reply commands.Reply
	func() {
		defer func() {
			if r := recover(); r != nil {
				b.log.Error("handler panicked on replay", "type", env.kind, "label", env.label, "team", env.team,
					"user", env.user, "panic", fmt.Sprint(r), "stack", string(debug.Stack()))
				reply = commands.Reply{}
			}
		}()
		reply = b.decide(ctx, evt, &env)
	}()
	b.log.Info("replaying an envelope whose process stopped after the ack", "type", env.kind, "label", env.label,
		"team", env.team, "user", env.user)
	outcome := "ok"
	if reply.Later != nil {
		outcome = b.runLater(ctx, env, reply.Later)
	}
	b.metrics.envelopes.WithLabelValues(env.kind, "replayed_"+outcome).Inc()
	return nil
}
