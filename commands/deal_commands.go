package commands

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// dealMove handles "/deal move D-42 proposal".
func (a *App) dealMove(ctx context.Context, in SlashInput) Reply {
	n, stage, err := parseRefAndText(in.Rest, "/deal move D-42 <stage>", "stage", 60)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		stages, err := a.sales.Stages(ctx, actor.WorkspaceID)
		if err != nil {
			return message{}, err
		}
		to, err := pipeline.ParseStage(stage, stages)
		if err != nil {
			return message{}, err
		}
		if to == pipeline.StageLost {
			return message{}, pipeline.ErrLostNeedsWhy
		}
		return a.moveAndShow(ctx, actor, n, pipeline.Move{To: to}, in.key())
	})
}

// dealWon handles "/deal won D-42 [amount]".
func (a *App) dealWon(ctx context.Context, in SlashInput) Reply {
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		n, amount, err := parseWon(in.Rest, st.Currency)
		if err != nil {
			return message{}, err
		}
		return a.moveAndShow(ctx, actor, n, pipeline.Move{To: pipeline.StageWon, Amount: amount}, in.key())
	})
}

// dealLost handles "/deal lost D-42 <reason>".
func (a *App) dealLost(ctx context.Context, in SlashInput) Reply {
	n, rest, err := splitRef(in.Rest, "/deal lost D-42 <reason>")
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		return a.moveAndShow(ctx, actor, n, pipeline.Move{To: pipeline.StageLost, Reason: rest}, in.key())
	})
}

func (a *App) moveAndShow(ctx context.Context, actor pipeline.User, n int64, m pipeline.Move, key string) (message, error) {
	res, err := a.sales.MoveDeal(ctx, sales.MoveDeal{Team: actor.WorkspaceID, Actor: actor, Number: n, Move: m, IdempotencyKey: key})
	if err != nil {
		return message{}, err
	}
	msg, err := a.changedCard(ctx, actor, res.After, closingSummary(res))
	return withKeepButton(msg, res), err
}

// dealNote handles "/deal note D-42 <text>".
func (a *App) dealNote(ctx context.Context, in SlashInput) Reply {
	n, body, err := parseRefAndText(in.Rest, "/deal note D-42 <what happened>", "note", pipeline.MaxNotesLen)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		d, err := a.addActivity(ctx, actor, n, "note", body, in.key())
		if err != nil {
			return message{}, err
		}
		return a.changedCard(ctx, actor, d, render.NoteLogged(d, "note"))
	})
}

// addActivity logs an activity on deal n for actor (see salesdb.Service.AddNote).
func (a *App) addActivity(ctx context.Context, actor pipeline.User, n int64, kind, body, key string) (pipeline.Deal, error) {
	res, err := a.sales.AddNote(ctx, sales.AddNote{Team: actor.WorkspaceID, Actor: actor, Number: n, Kind: kind, Body: body, IdempotencyKey: key})
	return res.Deal, err
}

// dealFollowup handles "/deal followup D-42 <when> [note]".
func (a *App) dealFollowup(ctx context.Context, in SlashInput) Reply {
	const usage = "/deal followup D-42 <when> [note]"
	n, rest, err := parseRefAndText(in.Rest, usage, "time (tomorrow 10am, in 3 days, friday, 2026-12-01 14:30)", 400)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		loc := a.userLocation(ctx, actor)
		due, note, err := pipeline.ParseWhen(rest, a.now(), loc)
		if err != nil {
			return message{}, err
		}
		d, err := a.addFollowUp(ctx, actor, n, due, note, in.key())
		if closed := (sales.ErrDealClosed{}); errors.As(err, &closed) {
			m := render.ConfirmClosedFollowUp(closed, due, note, loc)
			return ephemeral(m.Text, m.Blocks...), nil
		}
		if err != nil {
			return message{}, err
		}
		return a.changedCard(ctx, actor, d, render.FollowUpSet(d, due, loc))
	})
}

// addFollowUp schedules a follow-up on deal n for actor (see
// salesdb.Service.ScheduleFollowUp).
func (a *App) addFollowUp(ctx context.Context, actor pipeline.User, n int64, due time.Time, note, key string) (pipeline.Deal, error) {
	res, err := a.sales.ScheduleFollowUp(ctx, sales.ScheduleFollowUp{Team: actor.WorkspaceID, Actor: actor, Number: n, Due: due, Note: note, IdempotencyKey: key})
	return res.Deal, err
}

// userLocation is the person's Slack timezone: stored, or read once from
// users.info and kept.
func (a *App) userLocation(ctx context.Context, u pipeline.User) *time.Location {
	if u.Timezone != "" {
		return pipeline.Zone(u.Timezone)
	}
	info, err := a.slack.GetUserInfoContext(ctx, u.ID)
	if err != nil || info.TZ == "" {
		a.log.Warn("timezone unknown, using UTC", "team", u.WorkspaceID, "user", u.ID, "error", err)
		return time.UTC
	}
	if err := a.sales.RememberTimezone(ctx, u, info.TZ); err != nil {
		a.log.Warn("could not store timezone", "user", u.ID, "error", err)
	}
	return pipeline.Zone(info.TZ)
}

// dealFind handles "/deal find <text>".
func (a *App) dealFind(ctx context.Context, in SlashInput) Reply {
	q := strings.TrimSpace(in.Rest)
	if q == "" || len([]rune(q)) > 100 {
		return Reply{Ack: ephemeral(render.FindUsage)}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		found, err := a.sales.FindDeals(ctx, sales.FindDeals{Actor: actor, Query: q, Limit: 50})
		if err != nil {
			return message{}, err
		}
		if len(found) == 0 {
			return ephemeral(render.NoneFound(q)), nil
		}
		return a.dealList(ctx, actor, render.FoundHeader(q), found)
	})
}

// dealList shows deals as lines under a header (render.DealList).
func (a *App) dealList(ctx context.Context, actor pipeline.User, header string, deals []pipeline.Deal) (message, error) {
	stages, err := a.sales.Stages(ctx, actor.WorkspaceID)
	if err != nil {
		return message{}, err
	}
	m := render.DealList(header, deals, stages)
	return ephemeral(m.Text, m.Blocks...), nil
}

// dealUpsell handles "/deal upsell D-42" (and cross-sell): a new deal on the
// same account.
func (a *App) dealUpsell(kind string) func(context.Context, SlashInput) Reply {
	return func(ctx context.Context, in SlashInput) Reply {
		n, title, err := splitRef(in.Rest, "/deal "+strings.ReplaceAll(kind, "_", "-")+" D-42 [title]")
		if err != nil {
			return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
		}
		return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
			// A long title is shortened, as it always was, rather than refused.
			res, err := a.sales.OpenFollowOnDeal(ctx, sales.OpenFollowOnDeal{Team: actor.WorkspaceID, Actor: actor, Number: n,
				Kind: kind, Title: render.Clip(title, pipeline.MaxNameLen), IdempotencyKey: in.key()})
			if err != nil {
				return message{}, err
			}
			return a.changedCard(ctx, actor, res.Deal, render.FollowOnOpened(res.Deal, kind))
		})
	}
}

// dealHistory handles "/deal history D-42".
func (a *App) dealHistory(ctx context.Context, in SlashInput) Reply {
	n, err := parseRefOnly(in.Rest, "/deal history D-42")
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		return a.historyMessage(ctx, actor, n)
	})
}

func (a *App) historyMessage(ctx context.Context, actor pipeline.User, n int64) (message, error) {
	h, err := a.sales.History(ctx, actor, n)
	if err != nil {
		return message{}, err
	}
	r := render.History(h, a.userLocation(ctx, actor))
	return ephemeral(r.Text, r.Blocks...), nil
}

// dealEdit handles "/deal edit D-42": the edit modal, prefilled.
func (a *App) dealEdit(ctx context.Context, in SlashInput) Reply {
	n, err := parseRefOnly(in.Rest, "/deal edit D-42")
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	cb := slack.InteractionCallback{TriggerID: in.TriggerID, ResponseURL: in.ResponseURL}
	cb.Team.ID, cb.User.ID = in.TeamID, in.UserID
	return a.openDealModal(cb, render.ActEdit, cardRef{Number: n, ResponseURL: in.ResponseURL})
}
