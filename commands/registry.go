package commands

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
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

// subcommand is one verb of a slash command family, such as "/lead new".
type subcommand struct {
	name    string
	usage   string // "/lead new [company]"
	summary string
	handle  func(ctx context.Context, in SlashInput) Reply
}

// family is one registered slash command ("/lead") and its verbs. Help and
// usage messages are built from this table, so they cannot drift from what
// the handlers accept.
type family struct {
	command string
	summary string
	subs    []subcommand
	// fallback handles text that starts with no verb, such as "/deal D-42".
	fallback func(ctx context.Context, in SlashInput) Reply
	// usageAck answers the command without text: rendered once, in New.
	usageAck *staticAnswer
}

// register lists every command salesbot answers. One place, on purpose.
func (a *App) register() []*family {
	return []*family{
		{command: "/lead", summary: "capture and list leads", subs: []subcommand{
			{name: "new", usage: "/lead new [company]", summary: "open the New lead form", handle: a.leadNew},
			{name: "list", usage: "/lead list [mine|all|@user]", summary: "open leads (yours by default)", handle: a.leadList},
			{name: "assign", usage: "/lead assign D-42 @user", summary: "hand a lead to someone (they accept or reject)", handle: a.leadAssign},
			{name: "import", usage: "/lead import", summary: "paste CSV rows (header line first) to import leads", handle: a.leadImport},
			{name: "qualify", usage: "/lead qualify D-42", summary: "budget, authority, need, timing: scores the lead", handle: a.leadQualify},
		}},
		{command: "/deal", summary: "work on one deal", fallback: a.dealCardCommand, subs: []subcommand{
			{name: "move", usage: "/deal move D-42 <stage>", summary: "move to another stage", handle: a.dealMove},
			{name: "won", usage: "/deal won D-42 [amount]", summary: "close as won, optionally with the final amount", handle: a.dealWon},
			{name: "lost", usage: "/deal lost D-42 <reason>", summary: "close as lost", handle: a.dealLost},
			{name: "note", usage: "/deal note D-42 <text>", summary: "log an activity (resets staleness)", handle: a.dealNote},
			{name: "followup", usage: "/deal followup D-42 <when> [note]", summary: "set a follow-up: tomorrow 10am, in 3 days, friday, 2026-12-01 14:30", handle: a.dealFollowup},
			{name: "edit", usage: "/deal edit D-42", summary: "edit the deal's fields", handle: a.dealEdit},
			{name: "find", usage: "/deal find <text>", summary: "search by title, account or contact", handle: a.dealFind},
			{name: "upsell", usage: "/deal upsell D-42 [title]", summary: "new upsell deal on the same account", handle: a.dealUpsell("upsell")},
			{name: "cross-sell", usage: "/deal cross-sell D-42 [title]", summary: "new cross-sell deal on the same account", handle: a.dealUpsell("cross_sell")},
			{name: "history", usage: "/deal history D-42", summary: "the deal's history, newest first", handle: a.dealHistory},
		}},
		{command: "/pipeline", summary: "pipeline, forecast and metrics", fallback: a.pipelineShow, subs: []subcommand{
			{name: "", usage: "/pipeline [mine|team|all]", summary: "open deals by stage: count, amount, weighted", handle: a.pipelineShow},
			{name: "forecast", usage: "/pipeline forecast [month|quarter]", summary: "weighted, commit and best case, with a chart", handle: a.pipelineForecast},
			{name: "stale", usage: "/pipeline stale", summary: "deals idle longer than their stage allows", handle: a.pipelineStale},
			{name: "leaderboard", usage: "/pipeline leaderboard [period]", summary: "won amount per rep (default: this month)", handle: a.pipelineLeaderboard},
			{name: "metrics", usage: "/pipeline metrics [period]", summary: "win rate, sales cycle, deal size, ACV, ARR, churn, commission", handle: a.pipelineMetrics},
			{name: "digest", usage: "/pipeline digest", summary: "preview today's digest", handle: a.pipelineDigest},
			{name: "export", usage: "/pipeline export [mine|team|all]", summary: "your deals as a CSV file in your DM", handle: a.pipelineExport},
		}},
		{command: "/salesbot", summary: "help and settings", subs: []subcommand{
			{name: "help", usage: "/salesbot help", summary: "show what salesbot can do", handle: a.help},
			{name: "settings", usage: "/salesbot settings", summary: "channels, timezone, currency, digest time, alerts and jobs (admins)", handle: a.salesbotSettings},
			{name: "notify", usage: "/salesbot notify", summary: "choose which DMs you get and your quiet hours", handle: a.salesbotNotify},
			{name: "role", usage: "/salesbot role @user rep|manager|admin", summary: "set someone's role (admins)", handle: a.salesbotRole},
			{name: "team", usage: "/salesbot team @manager @rep…", summary: "put reps on a manager's team (admins)", handle: a.salesbotTeam},
			{name: "icp", usage: "/salesbot icp", summary: "ideal customer profile for lead scores (admins)", handle: a.salesbotICP},
			{name: "routing", usage: "/salesbot routing", summary: "lead routing rules", handle: a.salesbotRouting},
			{name: "route", usage: "/salesbot route industry=Software @rep", summary: "add a routing rule; `remove N`, `clear` (admins)", handle: a.salesbotRoute},
			{name: "away", usage: "/salesbot away on|off [@user]", summary: "no routed leads while away", handle: a.salesbotAway},
			{name: "capacity", usage: "/salesbot capacity @rep 25", summary: "most open leads routed to a rep (admins)", handle: a.salesbotCapacity},
		}},
	}
}

// SlashCommand routes a slash command to its handler.
func (a *App) SlashCommand(ctx context.Context, cmd slack.SlashCommand) Reply {
	f := a.family(cmd.Command)
	if f == nil {
		return Reply{Ack: ephemeral(fmt.Sprintf("salesbot does not know %s. Try /salesbot help.", cmd.Command))}
	}
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
		return Reply{Ack: ephemeral(fmt.Sprintf("%s is not available in this version of salesbot yet. Try /salesbot help.", f.command))}
	}
	if f.fallback != nil && text != "" {
		return f.fallback(ctx, in)
	}
	if text == "" {
		return Reply{Ack: f.usageAck}
	}
	return Reply{Ack: ephemeral(fmt.Sprintf("I don't know `%s %s`.\n%s", f.command, render.Escape(render.Clip(word, 40)), f.usage()))}
}

func (a *App) family(command string) *family {
	for _, f := range a.families {
		if f.command == command {
			return f
		}
	}
	return nil
}

// usage lists the family's verbs, one per line.
func (f *family) usage() string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* — %s\n", f.command, f.summary)
	for _, s := range f.subs {
		fmt.Fprintf(&b, "• `%s` — %s\n", s.usage, s.summary)
	}
	return strings.TrimRight(b.String(), "\n")
}

// help is the same for everyone: it is rendered once, in New.
func (a *App) help(ctx context.Context, in SlashInput) Reply {
	return Reply{Ack: a.helpAck}
}

// renderStatic renders the answers that never change once the commands are
// registered, so that a request for them costs no rendering.
func (a *App) renderStatic() {
	blocks := []slack.Block{
		slack.NewHeaderBlock(render.Plain("salesbot: your pipeline, in Slack")),
	}
	// One section per command: a section's text is capped at 3000
	// characters, and the whole list would outgrow it.
	for _, f := range a.families {
		if len(f.subs) > 0 {
			blocks = append(blocks, slack.NewSectionBlock(render.Mrkdwn(f.usage()), nil, nil))
		}
		f.usageAck = static(ephemeral(f.usage()))
	}
	blocks = append(blocks, slack.NewContextBlock("", render.Mrkdwn("Deals are numbered like D-42; commands accept D-42, d-42 or 42.")))
	a.helpAck = static(ephemeral("salesbot help", blocks...))
}

// Interaction routes modal submissions, button clicks and shortcuts.
func (a *App) Interaction(ctx context.Context, cb slack.InteractionCallback) Reply {
	switch cb.Type {
	case slack.InteractionTypeViewSubmission:
		switch cb.View.CallbackID {
		case leadNewCallback:
			return a.leadNewSubmit(ctx, cb)
		case cbMove, cbWon, cbLost, cbNote, cbFollowup, cbEdit:
			return a.dealModalSubmit(ctx, cb)
		case cbQualify:
			return a.qualifySubmit(ctx, cb)
		case cbICP:
			return a.icpSubmit(ctx, cb)
		case cbNotify:
			return a.notifySubmit(ctx, cb)
		case cbSettings:
			return a.settingsSubmit(ctx, cb)
		case cbImport:
			return a.leadImportSubmit(ctx, cb)
		}
	case slack.InteractionTypeBlockActions:
		if r, ok := a.homeAction(cb); ok {
			return r
		}
		return a.blockAction(ctx, cb)
	case slack.InteractionTypeShortcut:
		return a.shortcut(cb)
	}
	a.log.Debug("unhandled interaction", "type", cb.Type, "callback_id", cb.View.CallbackID, "team", cb.Team.ID)
	return Reply{}
}

// Event handles Events API events, such as app_home_opened.
func (a *App) Event(ctx context.Context, ev slackevents.EventsAPIEvent) Reply {
	if ev.InnerEvent.Type == string(slackevents.AppHomeOpened) {
		return a.homeEvent(ev)
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

// staticAnswer is an answer that never changes (help, a command's usage),
// rendered once and held as plain values that encoding/json writes as they
// are. Pre-encoded bytes would cost more per ack: encoding/json re-validates
// what a json.Marshaler returns, byte by byte, on every encoding.
type staticAnswer struct {
	ResponseType string        `json:"response_type,omitempty"`
	Text         string        `json:"text"`
	Blocks       []staticBlock `json:"blocks,omitempty"`
}

// staticBlock holds the blocks static answers use: header, section, context.
type staticBlock struct {
	Type     string       `json:"type"`
	Text     *staticText  `json:"text,omitempty"`
	Elements []staticText `json:"elements,omitempty"`
}

type staticText struct {
	Type     string `json:"type"`
	Text     string `json:"text"`
	Emoji    *bool  `json:"emoji,omitempty"`
	Verbatim *bool  `json:"verbatim,omitempty"`
}

// static renders m once as a staticAnswer that encodes to the same JSON. It
// panics when m holds something a staticAnswer cannot (the answers are
// fixed: a bug, found by any test that builds an App).
func static(m message) *staticAnswer {
	want, err := json.Marshal(m)
	var a staticAnswer
	if err == nil {
		dec := json.NewDecoder(bytes.NewReader(want))
		dec.DisallowUnknownFields()
		err = dec.Decode(&a)
	}
	if err == nil {
		if got, _ := json.Marshal(&a); !bytes.Equal(got, want) {
			err = fmt.Errorf("encodes as %s, want %s", got, want)
		}
	}
	if err != nil {
		panic(fmt.Sprintf("commands: a static answer: %v", err))
	}
	return &a
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
			out = append(out, f.command)
		}
		for _, s := range f.subs {
			if name := strings.TrimSpace(f.command + " " + s.name); !slices.Contains(out, name) {
				out = append(out, name)
			}
		}
	}
	return out
}
