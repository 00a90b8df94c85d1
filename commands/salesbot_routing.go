package commands

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// routeEdit is one change to the routing rules, read from the command text.
type routeEdit struct {
	add    *pipeline.RoutingRule
	remove int // 1-based
	clear  bool
}

// parseRoute reads the text after "/salesbot route".
func parseRoute(text string) (routeEdit, error) {
	words := strings.Fields(text)
	switch {
	case len(words) == 0:
		return routeEdit{}, badInput(render.UsageOnly(render.RouteUsage))
	case strings.EqualFold(words[0], "clear") && len(words) == 1:
		return routeEdit{clear: true}, nil
	case strings.EqualFold(words[0], "remove"):
		n, err := strconv.Atoi(strings.Join(words[1:], ""))
		if err != nil || n < 1 || len(words) != 2 {
			return routeEdit{}, badInput(render.RouteWhichRule)
		}
		return routeEdit{remove: n}, nil
	}
	to, ok := parseMention(words[len(words)-1])
	if !ok {
		return routeEdit{}, badInput(render.RouteNoTarget)
	}
	cond := words[:len(words)-1]
	team := len(cond) > 0 && strings.EqualFold(cond[len(cond)-1], "team")
	if team {
		cond = cond[:len(cond)-1]
	}
	r, err := pipeline.ParseRuleConditions(strings.Join(cond, " "))
	if err != nil {
		return routeEdit{}, badInput(render.BadArg(err, render.RouteUsage))
	}
	r.To, r.Team = to, team
	return routeEdit{add: &r}, nil
}

// salesbotRoute handles "/salesbot route …" (admins): add, remove or clear rules.
func (a *App) salesbotRoute(ctx context.Context, in SlashInput) Reply {
	edit, err := parseRoute(in.Rest)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		rules, err := a.sales.EditRouting(ctx, sales.EditRouting{Team: actor.WorkspaceID, Actor: actor,
			Add: edit.add, Remove: edit.remove, Clear: edit.clear, IdempotencyKey: in.key()})
		var none sales.ErrNoSuchRule
		var full sales.ErrTooManyRules
		switch {
		case errors.As(err, &none):
			return message{}, badInput(render.NoSuchRule(none.Number, none.Count))
		case errors.As(err, &full):
			return message{}, badInput(render.TooManyRules(full.Max))
		case err != nil:
			return message{}, err
		}
		return ephemeral(render.RoutingSaved(rules)), nil
	})
}

// salesbotRouting handles "/salesbot routing": the rules, in order.
func (a *App) salesbotRouting(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		rules, err := a.sales.RoutingRules(ctx, actor.WorkspaceID)
		if err != nil {
			return message{}, err
		}
		return ephemeral(render.RoutingShown(rules)), nil
	})
}

// salesbotAway handles "/salesbot away on|off [@user]": away reps get no
// routed leads. Anyone for themselves; admins for anyone.
func (a *App) salesbotAway(ctx context.Context, in SlashInput) Reply {
	var on bool
	user := in.UserID
	args := in.Args
	if len(args) == 0 || len(args) > 2 {
		return Reply{Ack: ephemeral(":warning: " + render.UsageOnly(render.AwayUsage))}
	}
	switch strings.ToLower(args[0]) {
	case "on":
		on = true
	case "off":
	default:
		return Reply{Ack: ephemeral(render.AwayOnOrOff)}
	}
	if len(args) == 2 {
		id, ok := parseMention(args[1])
		if !ok {
			return Reply{Ack: ephemeral(render.AwayMention)}
		}
		user = id
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		if err := a.sales.SetAway(ctx, sales.SetAway{Team: actor.WorkspaceID, Actor: actor, User: user, Away: on,
			IdempotencyKey: in.key()}); err != nil {
			return message{}, err
		}
		return ephemeral(render.Away(user, on)), nil
	})
}

// salesbotCapacity handles "/salesbot capacity @rep N" (admins): at most N
// open leads routed to them; 0 = no limit.
func (a *App) salesbotCapacity(ctx context.Context, in SlashInput) Reply {
	if len(in.Args) != 2 {
		return Reply{Ack: ephemeral(":warning: " + render.UsageOnly(render.CapacityUsage))}
	}
	user, ok := parseMention(in.Args[0])
	n, err := strconv.Atoi(in.Args[1])
	if !ok || err != nil || n < 0 || n > sales.MaxCapacity {
		return Reply{Ack: ephemeral(render.CapacityBadArgs)}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		if err := a.sales.SetCapacity(ctx, sales.SetCapacity{Team: actor.WorkspaceID, Actor: actor, User: user, Capacity: n,
			IdempotencyKey: in.key()}); err != nil {
			return message{}, err
		}
		return ephemeral(render.CapacitySet(user, n)), nil
	})
}

// salesbotICP handles "/salesbot icp" (admins): the ideal customer profile
// modal that lead scores measure fit against.
func (a *App) salesbotICP(ctx context.Context, in SlashInput) Reply {
	return a.openForm(in, render.FormICP, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (slack.ModalViewRequest, error) {
		icp, err := a.sales.ICP(ctx, actor)
		return render.ICPModal(icp), err
	})
}

// icpSubmit validates the ICP form and, after the ack, saves it and
// rescores every open deal in the same transaction.
func (a *App) icpSubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	st := cb.View.State
	var sizes []string
	for _, o := range stateValue(st, string(pipeline.FieldCompanySize)).SelectedOptions {
		sizes = append(sizes, o.Value)
	}
	icp, fe := pipeline.ParseICP(stateValue(st, string(pipeline.FieldIndustry)).Value, sizes)
	if len(fe) > 0 {
		return Reply{Ack: inlineErrors(fe)}
	}
	return a.saveLater(cb, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (string, error) {
		if err := pipeline.AuthorizeAdminTo(actor, "change the ideal customer profile"); err != nil {
			return "", err
		}
		return render.ICPSaved, a.sales.SetICP(ctx, sales.SetICP{Team: actor.WorkspaceID, Actor: actor, ICP: icp, IdempotencyKey: "view:" + cb.View.ID})
	})
}
