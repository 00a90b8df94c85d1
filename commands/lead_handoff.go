package commands

import (
	"context"
	"errors"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// leadList handles "/lead list [mine|all|@user]": open deals at the lead stage.
func (a *App) leadList(ctx context.Context, in SlashInput) Reply {
	scope, err := parseListScope(in.Args)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		res, err := a.sales.ListLeads(ctx, sales.ListLeads{Actor: actor, All: scope.all, Owner: scope.user})
		if err != nil {
			return message{}, err
		}
		if len(res.Leads) == 0 {
			return ephemeral(render.NoLeads(res)), nil
		}
		return a.dealList(ctx, actor, render.LeadListTitle(render.LeadListHeader(res), len(res.Leads)), res.Leads)
	})
}

// leadAssign handles "/lead assign D-42 @user" (see salesdb.Service.AssignLead):
// the new owner is offered the lead with Accept / Reject buttons.
func (a *App) leadAssign(ctx context.Context, in SlashInput) Reply {
	n, to, err := parseAssign(in.Rest)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		res, err := a.sales.AssignLead(ctx, sales.AssignLead{Team: actor.WorkspaceID, Actor: actor, Number: n, To: to, IdempotencyKey: in.key()})
		if already := (sales.ErrAlreadyOwner{}); errors.As(err, &already) {
			return message{}, inputError{render.AlreadyOwner(already)}
		}
		if err != nil {
			return message{}, err
		}
		d := res.Deal
		a.dealsChanged(ctx, actor.WorkspaceID, res.Previous, d.OwnerID)
		if !res.Offered {
			return a.cardMessage(ctx, actor, d, render.Assigned(res, to))
		}
		return ephemeral(render.Assigned(res, to)), nil
	})
}

// answerHandoff records Accept or Reject (see salesdb.Service.AnswerHandoff),
// redraws the offer and tells the previous owner.
func (a *App) answerHandoff(cb slack.InteractionCallback, n int64, accept bool) Reply {
	deliver := func(ctx context.Context, m message) error { return a.tell(ctx, cb.ResponseURL, cb.User.ID, m) }
	return a.afterAck(cb.Team.ID, cb.User.ID, deliver, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (message, error) {
		res, err := a.sales.AnswerHandoff(ctx, sales.AnswerHandoff{Team: actor.WorkspaceID, Actor: actor, Number: n,
			Accept: accept, IdempotencyKey: actionKey(cb)})
		if err != nil {
			return message{}, err
		}
		a.dealsChanged(ctx, actor.WorkspaceID, actor.ID, res.Deal.OwnerID, res.Next)
		text := render.HandoffAnswered(res, accept)
		return message{Text: text, ReplaceOriginal: true, Blocks: render.Answered(text)}, nil
	})
}
