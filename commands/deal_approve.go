package commands

import (
	"context"
	"strings"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

const approveUsage = "/deal approve D-42 <discount %> <reason>"

// dealApprove handles "/deal approve D-42 <discount %> <reason>": the
// discount becomes the deal's and its approval is asked of the owner's
// manager, or of the admins.
func (a *App) dealApprove(ctx context.Context, in SlashInput) Reply {
	n, rest, err := splitRef(in.Rest, approveUsage)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	pct, reason, _ := strings.Cut(rest, " ")
	bps, err := pipeline.ParseDiscount(pct)
	if err == nil && bps == 0 {
		err = pipeline.ErrDiscountSyntax
	}
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(badInput(render.BadArg(err, approveUsage)), in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		res, err := a.sales.RequestApproval(ctx, sales.RequestApproval{Team: actor.WorkspaceID, Actor: actor, Number: n,
			DiscountBps: bps, Reason: strings.TrimSpace(reason), IdempotencyKey: in.key()})
		if err != nil {
			return message{}, err
		}
		return a.changedCard(ctx, actor, res.Deal, render.ApprovalAsked(res))
	})
}
