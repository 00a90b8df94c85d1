package render

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
)

// HelpRoles are the roles help is rendered for, once each; "" is someone
// whose role could not be read just now, shown what a rep may do.
var HelpRoles = []string{pipeline.RoleRep, pipeline.RoleManager, pipeline.RoleAdmin, ""}

// adminOnly are the verbs only admins may use: help lists them to admins
// only. The rest of a verb's words stay in Commands.
var adminOnly = map[string]bool{
	"/salesbot settings": true, "/salesbot role": true, "/salesbot team": true,
	"/salesbot icp": true, "/salesbot route": true, "/salesbot capacity": true,
	"/salesbot apikey": true, "/salesbot webhook": true,
	// Not /salesbot mentions: anyone may ask whether mentions are on; only
	// turning them on or off is an admin's, and its refusal says so.
}

// ForRole is c with only the verbs someone with role may use.
func ForRole(c Command, role string) Command {
	out := Command{Command: c.Command, Summary: c.Summary}
	for _, s := range c.Subs {
		if role == pipeline.RoleAdmin || !adminOnly[strings.TrimSpace(c.Command+" "+s.Name)] {
			out.Subs = append(out.Subs, s)
		}
	}
	return out
}

// ActHelpForm starts the action ID of each help button that opens a form
// (Slack wants them unique in their block); its value is the command that
// opens the same form when typed (one of HelpForms).
const ActHelpForm = "help_form_"

// HelpForm is a form help offers a button for.
type HelpForm struct {
	Label   string
	Command string // as typed: "/lead new"
}

// HelpForms are the forms help's buttons open, by the command that opens
// each; admin-only ones only show to admins (adminOnly).
var HelpForms = []HelpForm{
	{"New lead", "/lead new"},
	{"Import leads", "/lead import"},
	{"My notifications", "/salesbot notify"},
	{"Settings", "/salesbot settings"},
	{"Ideal customer profile", "/salesbot icp"},
}

// HelpFormFor is the help form opened by command, if it is one.
func HelpFormFor(command string) (HelpForm, bool) {
	for _, f := range HelpForms {
		if f.Command == command {
			return f, true
		}
	}
	return HelpForm{}, false
}

// helpIntro says in one line what each role does with salesbot.
var helpIntro = map[string]string{
	pipeline.RoleRep:     "You are a *rep*: capture leads, work your deals and follow-ups, and see your own pipeline.",
	pipeline.RoleManager: "You are a *manager*: everything a rep does, plus your team's leads, pipeline and stale deals (`/lead list all`, `/pipeline team`).",
	pipeline.RoleAdmin:   "You are an *admin*: everything a manager does, plus settings, roles, teams, the ideal customer profile and lead routing.",
	"":                   ":warning: salesbot could not read your role just now, so this lists what every rep can do. Try again in a minute to see yours.",
}

// HelpOverview is /salesbot help for someone with role: a line per command
// family with the verbs they may use, and buttons to the forms.
func HelpOverview(cmds []Command, role string) []slack.Block {
	blocks := []slack.Block{
		slack.NewHeaderBlock(Plain("salesbot: what you can do")),
		slack.NewSectionBlock(Mrkdwn(helpIntro[role]), nil, nil),
	}
	for _, c := range cmds {
		c = ForRole(c, role)
		if len(c.Subs) == 0 {
			continue
		}
		verbs := make([]string, 0, len(c.Subs))
		for _, s := range c.Subs {
			verbs = append(verbs, "`"+strings.TrimSpace(c.Command+" "+s.Name)+"`")
		}
		family := strings.TrimPrefix(c.Command, "/")
		blocks = append(blocks, slack.NewSectionBlock(Mrkdwn(fmt.Sprintf("*%s* — %s\n%s\nDetails: `/salesbot help %s`",
			c.Command, c.Summary, strings.Join(verbs, " · "), family)), nil, nil))
	}
	blocks = append(blocks, slack.NewSectionBlock(Mrkdwn(AddToDealHelp), nil, nil))
	var buttons []slack.BlockElement
	for i, f := range HelpForms {
		if role != pipeline.RoleAdmin && adminOnly[f.Command] {
			continue
		}
		b := slack.NewButtonBlockElement(ActHelpForm+strconv.Itoa(i), f.Command, Plain(f.Label))
		if i == 0 {
			b.Style = slack.StylePrimary
		}
		buttons = append(buttons, b)
	}
	blocks = append(blocks, slack.NewActionBlock("help_forms", buttons...))
	return append(blocks, slack.NewContextBlock("", Mrkdwn("Deals are numbered like D-42; commands accept D-42, d-42 or 42. The Home tab lists your deals and follow-ups.")))
}

// HelpFamilyText is the notification text of /salesbot help <family>.
func HelpFamilyText(c Command) string { return "salesbot help: " + c.Command }

// HelpFamily is /salesbot help <family> for someone with role: each verb
// they may use, with its usage.
func HelpFamily(c Command, role string) []slack.Block {
	blocks := []slack.Block{
		slack.NewSectionBlock(Mrkdwn(Usage(ForRole(c, role))), nil, nil),
		slack.NewContextBlock("", Mrkdwn("`/salesbot help` shows every command you can use, with buttons to the forms.")),
	}
	if c.Command == "/deal" {
		blocks = slices.Insert(blocks, 1, slack.Block(slack.NewSectionBlock(Mrkdwn(AddToDealHelp), nil, nil)))
	}
	return blocks
}

// HelpFamilyName reads the family after /salesbot help: "deal", "/deal"
// or "Deals" name /deal.
func HelpFamilyName(word string) string {
	w := strings.ToLower(strings.TrimPrefix(strings.TrimSpace(word), "/"))
	if w != "salesbot" {
		w = strings.TrimSuffix(w, "s")
	}
	return "/" + w
}

// UnknownHelpFamily answers /salesbot help with a word that names no
// command family.
func UnknownHelpFamily(word string, cmds []Command) string {
	names := make([]string, 0, len(cmds))
	for _, c := range cmds {
		names = append(names, "`"+strings.TrimPrefix(c.Command, "/")+"`")
	}
	return fmt.Sprintf(":warning: There is no help about %s: try `/salesbot help` followed by %s.", Quoted(word, 40), strings.Join(names, ", "))
}
