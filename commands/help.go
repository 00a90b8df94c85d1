package commands

import (
	"context"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
)

// helpRoleTimeout bounds the role read of /salesbot help, made before its
// ack: past it, help answers with what every rep may do, and says so.
const helpRoleTimeout = 500 * time.Millisecond

// helpKey names one cached help answer: a role and a family ("" for the
// overview).
func helpKey(role, family string) string { return role + " " + family }

// renderHelp renders every help answer once per role, when the commands are
// registered: a request then costs the role read and nothing else.
func (a *App) renderHelp() {
	a.helps = map[string]*message{}
	for _, role := range render.HelpRoles {
		m := ephemeral(render.HelpText, render.HelpOverview(render.Commands, role)...)
		a.helps[helpKey(role, "")] = &m
		for _, c := range render.Commands {
			m := ephemeral(render.HelpFamilyText(c), render.HelpFamily(c, role)...)
			a.helps[helpKey(role, c.Command)] = &m
		}
	}
}

// help handles "/salesbot help [family]": what this person may do, by
// role. The answers are rendered already (renderHelp); what is read per
// request is the role, one primary-key read (UseCases.Role) that records
// nothing, bounded by helpRoleTimeout, so help still answers in the ack.
func (a *App) help(ctx context.Context, in SlashInput) Reply {
	family := ""
	if len(in.Args) > 0 {
		family = render.HelpFamilyName(in.Args[0])
		if len(in.Args) > 1 || a.family(family) == nil {
			return Reply{Ack: ephemeral(render.UnknownHelpFamily(in.Rest, render.Commands))}
		}
	}
	return Reply{Ack: a.helps[helpKey(a.helpRole(ctx, in.TeamID, in.UserID), family)]}
}

// helpRole is the role help is shown for: the person's, or "" when it
// cannot be read in time.
func (a *App) helpRole(ctx context.Context, team, user string) string {
	if a.sales == nil { // only where no command reaches the database
		return pipeline.RoleRep
	}
	ctx, cancel := context.WithTimeout(ctx, helpRoleTimeout)
	defer cancel()
	role, err := a.sales.Role(ctx, team, user)
	if err != nil {
		a.log.Warn("help: role unavailable", "team", team, "user", user, "error", err)
		return ""
	}
	if _, ok := a.helps[helpKey(role, "")]; !ok {
		return pipeline.RoleRep
	}
	return role
}

// helpFormAction answers a help button: it opens the form its command
// opens when typed, through the same handler, so the button and the
// command cannot differ (an admin-only form still checks who asks).
func (a *App) helpFormAction(ctx context.Context, cb slack.InteractionCallback, value string) Reply {
	f, ok := render.HelpFormFor(value)
	if !ok {
		a.log.Warn("help button with an unknown form", "value", render.Clip(value, 40))
		return Reply{}
	}
	command, text, _ := strings.Cut(f.Command, " ")
	r := a.SlashCommand(ctx, slack.SlashCommand{
		TeamID: cb.Team.ID, TeamDomain: cb.Team.Domain, UserID: cb.User.ID, UserName: cb.User.Name,
		ChannelID: cb.Channel.ID, ChannelName: cb.Channel.Name, Command: command, Text: text,
		TriggerID: cb.TriggerID, ResponseURL: cb.ResponseURL,
	})
	if r.Ack != nil {
		// A button's ack shows nothing: what the command would have said
		// at once goes beside the help instead.
		ack := r.Ack
		later := r.Later
		r.Ack = nil
		r.Later = func(ctx context.Context) error {
			if m, ok := ack.(message); ok {
				if err := a.tell(ctx, cb.ResponseURL, cb.User.ID, m); err != nil {
					return err
				}
			}
			if later != nil {
				return later(ctx)
			}
			return nil
		}
	}
	return r
}
