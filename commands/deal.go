package commands

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/slack-go/slack"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// dealCardCommand shows the card for "/deal D-42".
func (a *App) dealCardCommand(ctx context.Context, in SlashInput) Reply {
	text := strings.TrimSpace(in.Text)
	n, err := parseRefOnly(text, "/deal D-42")
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID) + "\n" + a.family("/deal").usage())}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		d, err := a.dealFor(ctx, actor, n)
		if err != nil {
			return message{}, err
		}
		return a.cardMessage(ctx, actor, d, "")
	})
}

// cardMessage is the deal's card, with an optional line above it.
func (a *App) cardMessage(ctx context.Context, viewer pipeline.User, d pipeline.Deal, lead string) (message, error) {
	stages, err := a.sales.Stages(ctx, d.WorkspaceID)
	if err != nil {
		return message{}, err
	}
	next, err := a.sales.NextFollowUp(ctx, d)
	if err != nil {
		return message{}, err
	}
	var blocks []slack.Block
	if lead != "" {
		blocks = append(blocks, slack.NewSectionBlock(render.Mrkdwn(lead), nil, nil))
	}
	blocks = append(blocks, dealCard(card{deal: d, stages: stages, next: next, loc: a.userLocation(ctx, viewer), now: a.now(), buttons: true})...)
	text := fmt.Sprintf("%s · %s", d.Ref(), render.Escape(d.AccountName))
	if lead != "" {
		text = lead
	}
	return ephemeral(text, blocks...), nil
}

func location(tz string) *time.Location {
	if loc, err := time.LoadLocation(tz); err == nil && tz != "" {
		return loc
	}
	return time.UTC
}

// move changes a deal's stage for actor (see sales.Service.MoveDeal).
func (a *App) move(ctx context.Context, actor pipeline.User, n int64, m pipeline.Move, key string) (pipeline.Deal, pipeline.StageChange, error) {
	res, err := a.sales.MoveDeal(ctx, sales.MoveDeal{Team: actor.WorkspaceID, Actor: actor, Number: n, Move: m, IdempotencyKey: key})
	return res.After, res.Change, err
}

// wonAnnouncement is the celebration post for a closed-won deal.
func wonAnnouncement(d pipeline.Deal, channel string, now time.Time) outbox.Message {
	what := "*" + render.Escape(d.AccountName) + "*"
	if d.Title != "" && d.Title != d.AccountName {
		what += " — " + render.Escape(d.Title)
	}
	fields := []*slack.TextBlockObject{
		render.Mrkdwn("*Amount*\n" + valueText(d)),
		render.Mrkdwn("*Days in cycle*\n" + fmt.Sprint(pipeline.CycleDays(d, now))),
	}
	if d.Source != "" {
		fields = append(fields, render.Mrkdwn("*Source*\n"+render.Escape(optionLabel(d.Source))))
	}
	open := slack.NewButtonBlockElement(actOpen, fmt.Sprint(d.Number), render.Plain("Open "+d.Ref()))
	blocks := []slack.Block{
		slack.NewSectionBlock(render.Mrkdwn(fmt.Sprintf(":tada: %s closed %s!", render.UserMention(d.OwnerID), what)), fields, nil),
		slack.NewActionBlock("won:"+fmt.Sprint(d.Number), open),
	}
	return outbox.Message{
		TeamID:  d.WorkspaceID,
		Channel: channel,
		Text:    fmt.Sprintf("%s closed %s for %s!", render.UserMention(d.OwnerID), render.Escape(d.AccountName), valueText(d)),
		Blocks:  render.MustJSON(blocks),
		Kind:    "won_announcement",
		Key:     fmt.Sprintf("won:%s:%d:%d", d.WorkspaceID, d.ID, d.ClosedAt.Unix()),
	}
}
