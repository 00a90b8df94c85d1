package commands

import (
	"context"
	"salesbot/render"
	"slices"
	"strings"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
)

// SlashInput is one slash command with its text split after the subcommand.
type SlashInput struct {
	slack.SlashCommand
	Sub  string   // the subcommand as typed, lower case ("new")
	Args []string // the words after it
	Rest string   // the text after it, as typed
}

// handler answers one verb of a slash command family, such as "/lead new".
type handler func(ctx context.Context, in SlashInput) Reply

// subcommand is one verb of a family, its words in render.Commands.
type subcommand struct {
	name   string
	handle handler
}

// family is one registered slash command ("/lead") and its verbs; help and
// usage are render's, from the same table.
type family struct {
	help render.Command
	subs []subcommand
	// fallback handles text that starts with no verb, such as "/deal D-42".
	fallback handler
	// usageAck answers the command without text: rendered once, in New.
	usageAck *render.Static
}

// register pairs every command of render.Commands with its handler.
func (a *App) register() []*family {
	handlers := map[string]handler{
		"/lead new": a.leadNew, "/lead list": a.leadList, "/lead assign": a.leadAssign,
		"/lead import": a.leadImport, "/lead qualify": a.leadQualify,
		"/deal move": a.dealMove, "/deal won": a.dealWon, "/deal lost": a.dealLost, "/deal approve": a.dealApprove, "/deal room": a.dealRoom, "/deal note": a.dealNote,
		"/deal followup": a.dealFollowup, "/deal edit": a.dealEdit, "/deal find": a.dealFind,
		"/deal upsell": a.dealUpsell("upsell"), "/deal cross-sell": a.dealUpsell("cross_sell"), "/deal history": a.dealHistory,
		"/pipeline": a.pipelineShow, "/pipeline forecast": a.pipelineForecast, "/pipeline stale": a.pipelineStale,
		"/pipeline leaderboard": a.pipelineLeaderboard, "/pipeline metrics": a.pipelineMetrics,
		"/pipeline digest": a.pipelineDigest, "/pipeline export": a.pipelineExport,
		"/salesbot help": a.help, "/salesbot settings": a.salesbotSettings, "/salesbot notify": a.salesbotNotify,
		"/salesbot role": a.salesbotRole, "/salesbot team": a.salesbotTeam, "/salesbot icp": a.salesbotICP,
		"/salesbot routing": a.salesbotRouting, "/salesbot route": a.salesbotRoute,
		"/salesbot away": a.salesbotAway, "/salesbot capacity": a.salesbotCapacity,
		"/salesbot apikey": a.salesbotAPIKey, "/salesbot webhook": a.salesbotWebhook,
		"/salesbot mentions": a.salesbotMentions,
	}
	fallbacks := map[string]handler{"/deal": a.dealCardCommand, "/pipeline": a.pipelineShow}
	var out []*family
	for _, c := range render.Commands {
		f := &family{help: c, fallback: fallbacks[c.Command]}
		for _, s := range c.Subs {
			h := handlers[strings.TrimSpace(c.Command+" "+s.Name)]
			if h == nil {
				panic("commands: no handler for " + c.Command + " " + s.Name)
			}
			f.subs = append(f.subs, subcommand{name: s.Name, handle: h})
			delete(handlers, strings.TrimSpace(c.Command+" "+s.Name))
		}
		out = append(out, f)
	}
	for name := range handlers {
		panic("commands: " + name + " is not in render.Commands, so help would not list it")
	}
	return out
}

// SlashCommand routes a slash command to its handler.
func (a *App) SlashCommand(ctx context.Context, cmd slack.SlashCommand) Reply {
	f := a.family(cmd.Command)
	if f == nil {
		return Reply{Ack: ephemeral(render.UnknownCommand(cmd.Command))}
	}
	cmd.Text = unescapeSlashText(cmd.Text)
	text := strings.TrimSpace(cmd.Text)
	word, rest, _ := strings.Cut(text, " ")
	in := SlashInput{SlashCommand: cmd, Sub: strings.ToLower(word), Rest: strings.TrimSpace(rest)}
	in.Args = strings.Fields(in.Rest)
	for _, s := range f.subs {
		if s.name == in.Sub {
			return s.handle(ctx, in)
		}
	}
	if len(f.subs) == 0 {
		return Reply{Ack: ephemeral(render.NotAvailable(f.help.Command))}
	}
	if f.fallback != nil && text != "" {
		return f.fallback(ctx, in)
	}
	if text == "" {
		return Reply{Ack: f.usageAck}
	}
	return Reply{Ack: ephemeral(render.UnknownVerb(f.help, word))}
}

func (a *App) family(command string) *family {
	for _, f := range a.families {
		if f.help.Command == command {
			return f
		}
	}
	return nil
}

// renderStatic renders the answers that never change once the commands are
// registered, so that a request for them costs no rendering.
func (a *App) renderStatic() {
	for _, f := range a.families {
		f.usageAck = render.NewStatic(ephemeral(render.Usage(f.help)))
	}
	a.renderHelp()
}

// Interaction routes modal submissions, button clicks and shortcuts.
func (a *App) Interaction(ctx context.Context, cb slack.InteractionCallback) Reply {
	switch cb.Type {
	case slack.InteractionTypeViewSubmission:
		switch cb.View.CallbackID {
		case render.LeadNewCallback:
			return a.leadNewSubmit(ctx, cb)
		case render.CbMove, render.CbWon, render.CbLost, render.CbNote, render.CbFollowup, render.CbEdit:
			return a.dealModalSubmit(ctx, cb)
		case render.CbQualify:
			return a.qualifySubmit(ctx, cb)
		case render.CbICP:
			return a.icpSubmit(ctx, cb)
		case render.CbNotify:
			return a.notifySubmit(ctx, cb)
		case render.CbSettings:
			return a.settingsSubmit(ctx, cb)
		case render.CbImport:
			return a.leadImportSubmit(ctx, cb)
		case render.CbApprovalReject:
			return a.approvalRejectSubmit(cb)
		case render.CbRequestApproval:
			return a.requestApprovalSubmit(cb)
		case render.CbCapture:
			return a.captureSubmit(cb)
		}
	case slack.InteractionTypeBlockActions:
		if r, ok := a.homeAction(ctx, cb); ok {
			return r
		}
		if r, ok := a.closeAction(cb); ok {
			return r
		}
		if r, ok := a.mentionAction(cb); ok {
			return r
		}
		return a.blockAction(ctx, cb)
	case slack.InteractionTypeShortcut:
		return a.shortcut(cb)
	case slack.InteractionTypeMessageAction:
		return a.messageAction(cb)
	}
	a.log.Debug("unhandled interaction", "type", cb.Type, "callback_id", cb.View.CallbackID, "team", cb.Team.ID)
	return Reply{}
}

// Event handles Events API events, such as app_home_opened.
func (a *App) Event(ctx context.Context, ev slackevents.EventsAPIEvent) Reply {
	if ev.InnerEvent.Type == string(slackevents.AppHomeOpened) {
		return a.homeEvent(ev)
	}
	if ev.InnerEvent.Type == string(slackevents.Message) {
		return a.mentionEvent(ev)
	}
	if r, ok := a.roomEvent(ev); ok {
		return r
	}
	a.log.Debug("unhandled event", "type", ev.InnerEvent.Type, "team", ev.TeamID)
	return Reply{}
}

// message is an ack payload or response_url body that Slack shows as a message.
type message struct {
	ResponseType    string        `json:"response_type,omitempty"`
	ReplaceOriginal bool          `json:"replace_original,omitempty"`
	Text            string        `json:"text"`
	Blocks          []slack.Block `json:"blocks,omitempty"`
}

// ephemeral is a message only the person who typed the command sees.
func ephemeral(text string, blocks ...slack.Block) message {
	return message{ResponseType: slack.ResponseTypeEphemeral, Text: text, Blocks: blocks}
}

// Commands lists every registered command as typed, such as "/deal note";
// a family that answers without a verb ("/deal D-42") is listed bare too.
// Tests use it to make sure no command escapes them.
func (a *App) Commands() []string {
	var out []string
	for _, f := range a.families {
		if f.fallback != nil {
			out = append(out, f.help.Command)
		}
		for _, s := range f.subs {
			if name := strings.TrimSpace(f.help.Command + " " + s.name); !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}
