package commands

import (
	"context"
	"fmt"
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
	d, c, err := a.move(ctx, actor, n, m, key)
	if err != nil {
		return message{}, err
	}
	return a.changedCard(ctx, actor, d, moveSummary(d, c))
}

// moveSummary says what a stage change did, in one line.
func moveSummary(d pipeline.Deal, c pipeline.StageChange) string {
	switch {
	case c.To == pipeline.StageWon:
		return fmt.Sprintf(":tada: %s is won for %s.", d.Ref(), valueText(d))
	case c.To == pipeline.StageLost:
		return fmt.Sprintf("%s is closed as lost.", d.Ref())
	case c.Reopen:
		return fmt.Sprintf(":leftwards_arrow_with_hook: %s is reopened at %s.", d.Ref(), render.Escape(pipeline.StageLabel(c.To)))
	}
	return fmt.Sprintf(":arrow_right: %s moved from %s to %s.", d.Ref(), render.Escape(pipeline.StageLabel(c.From)), render.Escape(pipeline.StageLabel(c.To)))
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
		return a.changedCard(ctx, actor, d, fmt.Sprintf(":memo: Note logged on %s.", d.Ref()))
	})
}

// addActivity logs an activity on deal n for actor (see sales.Service.AddNote).
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
		if err != nil {
			return message{}, err
		}
		return a.changedCard(ctx, actor, d, fmt.Sprintf(":alarm_clock: Follow-up on %s set for %s (%s).",
			d.Ref(), due.In(loc).Format("Mon Jan 2, 15:04"), loc))
	})
}

// addFollowUp schedules a follow-up on deal n for actor (see
// sales.Service.ScheduleFollowUp).
func (a *App) addFollowUp(ctx context.Context, actor pipeline.User, n int64, due time.Time, note, key string) (pipeline.Deal, error) {
	res, err := a.sales.ScheduleFollowUp(ctx, sales.ScheduleFollowUp{Team: actor.WorkspaceID, Actor: actor, Number: n, Due: due, Note: note, IdempotencyKey: key})
	return res.Deal, err
}

// userLocation is the person's Slack timezone: stored, or read once from
// users.info and kept.
func (a *App) userLocation(ctx context.Context, u pipeline.User) *time.Location {
	if u.Timezone != "" {
		return location(u.Timezone)
	}
	info, err := a.slack.GetUserInfoContext(ctx, u.ID)
	if err != nil || info.TZ == "" {
		a.log.Warn("timezone unknown, using UTC", "team", u.WorkspaceID, "user", u.ID, "error", err)
		return time.UTC
	}
	if err := a.sales.RememberTimezone(ctx, u, info.TZ); err != nil {
		a.log.Warn("could not store timezone", "user", u.ID, "error", err)
	}
	return location(info.TZ)
}

// dealFind handles "/deal find <text>".
func (a *App) dealFind(ctx context.Context, in SlashInput) Reply {
	q := strings.TrimSpace(in.Rest)
	if q == "" || len([]rune(q)) > 100 {
		return Reply{Ack: ephemeral("Usage: `/deal find <company, title or contact>` (up to 100 characters)")}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		found, err := a.sales.FindDeals(ctx, actor, q)
		if err != nil {
			return message{}, err
		}
		if len(found) == 0 {
			return ephemeral(fmt.Sprintf("No deals of yours match %s.", render.Quoted(q, 100))), nil
		}
		return a.dealList(ctx, actor, "Deals matching "+render.Quoted(q, 100), found)
	})
}

// dealList renders deals as lines under a header, which is mrkdwn (user
// text in it already escaped); at most 20 shown.
func (a *App) dealList(ctx context.Context, actor pipeline.User, header string, deals []pipeline.Deal) (message, error) {
	stages, err := a.sales.Stages(ctx, actor.WorkspaceID)
	if err != nil {
		return message{}, err
	}
	// At most 20 lines, and fewer when long titles would take the section
	// past Slack's 3000 characters.
	lines := make([]string, 0, len(deals))
	size := 0
	for i, d := range deals {
		line := dealLine(d, stages)
		if i == 20 || size+len([]rune(line)) > 2800 {
			lines = append(lines, fmt.Sprintf("…and %d more.", len(deals)-i))
			break
		}
		lines = append(lines, line)
		size += len([]rune(line)) + 1
	}
	blocks := []slack.Block{
		slack.NewSectionBlock(render.Mrkdwn("*"+header+"*"), nil, nil),
		slack.NewSectionBlock(render.Mrkdwn(strings.Join(lines, "\n")), nil, nil),
		slack.NewContextBlock("", render.Mrkdwn("`/deal D-42` opens a deal's card.")),
	}
	return ephemeral(header, blocks...), nil
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
			d := res.Deal
			return a.changedCard(ctx, actor, d, fmt.Sprintf(":seedling: New %s deal %s on %s.", strings.ReplaceAll(kind, "_", "-"), d.Ref(), render.Escape(d.AccountName)))
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
	d, h, err := a.sales.History(ctx, actor, n)
	if err != nil {
		return message{}, err
	}
	return ephemeral(fmt.Sprintf("History of %s", d.Ref()), historyBlocks(d, h, a.userLocation(ctx, actor))...), nil
}

// dealEdit handles "/deal edit D-42": the edit modal, prefilled.
func (a *App) dealEdit(ctx context.Context, in SlashInput) Reply {
	n, err := parseRefOnly(in.Rest, "/deal edit D-42")
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	cb := slack.InteractionCallback{TriggerID: in.TriggerID, ResponseURL: in.ResponseURL}
	cb.Team.ID, cb.User.ID = in.TeamID, in.UserID
	return a.openDealModal(cb, actEdit, cardRef{Number: n, ResponseURL: in.ResponseURL})
}
