package commands

import (
	"context"
	"strings"

	"salesbot/pipeline"
	"salesbot/render"
)

// dealCardCommand shows the card for "/deal D-42".
func (a *App) dealCardCommand(ctx context.Context, in SlashInput) Reply {
	text := strings.TrimSpace(in.Text)
	n, err := parseRefOnly(text, "/deal D-42")
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID) + "\n" + render.Usage(a.family("/deal").help))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		d, err := a.sales.Deal(ctx, actor, n)
		if err != nil {
			return message{}, err
		}
		return a.cardMessage(ctx, actor, d, "")
	})
}

// cardMessage is the deal's card, with an optional line above it.
func (a *App) cardMessage(ctx context.Context, viewer pipeline.User, d pipeline.Deal, lead string) (message, error) {
	more, err := a.sales.CardDetails(ctx, d)
	if err != nil {
		return message{}, err
	}
	m := render.CardMessage(render.Card{Deal: d, Stages: more.Stages, Next: more.Next, Loc: a.userLocation(ctx, viewer), Now: a.now(), Buttons: true,
		Approval: more.Approval, ApprovalsOn: more.ApprovalsOn, Room: more.Room, RoomButton: true}, lead)
	return ephemeral(m.Text, m.Blocks...), nil
}
