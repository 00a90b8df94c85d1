package render

import (
	"fmt"
	"strings"
)

// Command is one slash command family as help lists it: "/lead" and its
// verbs. commands dispatches by the same table, so help cannot drift from
// what the handlers accept.
type Command struct {
	Command string
	Summary string
	Subs    []Sub
}

// Sub is one verb of a command, such as "/lead new".
type Sub struct {
	Name    string // as typed, lower case ("new"); "" for the bare command
	Usage   string // "/lead new [company]"
	Summary string
}

// Commands lists every command salesbot answers. One place, on purpose.
var Commands = []Command{
	{Command: "/lead", Summary: "capture and list leads", Subs: []Sub{
		{"new", "/lead new [company]", "open the New lead form"},
		{"list", "/lead list [mine|all|@user]", "open leads (yours by default)"},
		{"assign", "/lead assign D-42 @user", "hand a lead to someone (they accept or reject)"},
		{"import", "/lead import", "paste CSV rows (header line first) to import leads"},
		{"qualify", "/lead qualify D-42", "budget, authority, need, timing: scores the lead"},
	}},
	{Command: "/deal", Summary: "work on one deal", Subs: []Sub{
		{"move", "/deal move D-42 <stage>", "move to another stage"},
		{"won", "/deal won D-42 [amount]", "close as won, optionally with the final amount"},
		{"lost", "/deal lost D-42 <reason>", "close as lost"},
		{"approve", "/deal approve D-42 <discount %> <reason>", "ask for a discount to be approved (the owner's manager, or the admins, decide); Request approval on the card does the same"},
		{"room", "/deal room D-42 [add @person]", "open the deal's room, a channel with its owner, their manager and the people added; its card is pinned there"},
		{"note", "/deal note D-42 <text>", "log an activity (resets staleness)"},
		{"followup", "/deal followup D-42 <when> [note]", "set a follow-up: tomorrow 10am, in 3 days, friday, 2026-12-01 14:30"},
		{"edit", "/deal edit D-42", "edit the deal's fields"},
		{"find", "/deal find <text>", "search by title, account or contact"},
		{"upsell", "/deal upsell D-42 [title]", "new upsell deal on the same account"},
		{"cross-sell", "/deal cross-sell D-42 [title]", "new cross-sell deal on the same account"},
		{"history", "/deal history D-42", "the deal's history, newest first"},
	}},
	{Command: "/pipeline", Summary: "pipeline, forecast and metrics", Subs: []Sub{
		{"", "/pipeline [mine|team|all]", "open deals by stage: count, amount, weighted"},
		{"forecast", "/pipeline forecast [month|quarter]", "weighted, commit and best case, with a chart"},
		{"stale", "/pipeline stale", "deals idle longer than their stage allows"},
		{"leaderboard", "/pipeline leaderboard [period]", "won amount per rep (default: this month)"},
		{"metrics", "/pipeline metrics [period]", "win rate, sales cycle, deal size, ACV, ARR, churn, commission"},
		{"digest", "/pipeline digest", "preview today's digest"},
		{"export", "/pipeline export [mine|team|all]", "your deals as a CSV file in your DM"},
	}},
	{Command: "/salesbot", Summary: "help and settings", Subs: []Sub{
		{"help", "/salesbot help [lead|deal|pipeline|salesbot]", "what you can do, or one command's details"},
		{"settings", "/salesbot settings", "channels, timezone, currency, working hours, response SLA, digest time, alerts, jobs, discount approval, each stage's required fields, and deal rooms: public or private, the value and stage at which one opens by itself, the days after the close it is archived (admins)"},
		{"notify", "/salesbot notify", "choose which DMs you get and your quiet hours"},
		{"role", "/salesbot role @user rep|manager|admin", "set someone's role (admins)"},
		{"team", "/salesbot team @manager @rep…", "put reps on a manager's team (admins)"},
		{"icp", "/salesbot icp", "ideal customer profile for lead scores (admins)"},
		{"routing", "/salesbot routing", "lead routing rules"},
		{"route", "/salesbot route industry=Software @rep", "add a routing rule; `remove N`, `clear` (admins)"},
		{"away", "/salesbot away on|off [@user]", "no routed leads while away"},
		{"capacity", "/salesbot capacity @rep 25", "most open leads routed to a rep (admins)"},
		{"apikey", "/salesbot apikey new|list|revoke", "API keys for your other systems and web forms (admins)"},
		{"webhook", "/salesbot webhook add|list|test|remove", "send deal events to your other systems, signed (admins)"},
		{"mentions", "/salesbot mentions on|off", "in this channel, answer D-42 in a message with the deal's card, shown to the writer only (admins turn it on or off; anyone may type `/salesbot mentions` to see whether it is on)"},
	}},
}

// Usage lists a command's verbs, one per line: the answer to the command
// typed bare or with a verb it does not know.
func Usage(c Command) string {
	var b strings.Builder
	fmt.Fprintf(&b, "*%s* — %s\n", c.Command, c.Summary)
	for _, s := range c.Subs {
		fmt.Fprintf(&b, "• `%s` — %s\n", s.Usage, s.Summary)
	}
	return strings.TrimRight(b.String(), "\n")
}

// HelpText is /salesbot help's notification text.
const HelpText = "salesbot help"

// UnknownCommand answers a slash command salesbot does not register.
func UnknownCommand(command string) string {
	return fmt.Sprintf("salesbot does not know %s. Try /salesbot help.", command)
}

// NotAvailable answers a registered command with no verbs yet.
func NotAvailable(command string) string {
	return fmt.Sprintf("%s is not available in this version of salesbot yet. Try /salesbot help.", command)
}

// UnknownVerb answers c with a verb it does not know, echoing the word.
func UnknownVerb(c Command, word string) string {
	return fmt.Sprintf("I don't know `%s %s`.\n%s", c.Command, Escape(Clip(word, 40)), Usage(c))
}
