package commands

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
	"salesbot/store"
)

// Handoff button action IDs (render's); the value is the deal number.
const (
	actAccept = render.ActAccept
	actReject = render.ActReject
)

// leadList handles "/lead list [mine|all|@user]": open deals at the lead stage.
func (a *App) leadList(ctx context.Context, in SlashInput) Reply {
	scope, err := parseListScope(in.Args)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		f := store.DealFilter{OpenOnly: true, Limit: 200}
		header := "Your open leads"
		switch {
		case scope.all && actor.Role == pipeline.RoleRep:
			return message{}, fmt.Errorf("%w: a rep sees their own leads; `/lead list` shows yours", pipeline.ErrForbidden)
		case scope.all && actor.Role == pipeline.RoleManager:
			team, err := a.store.TeamOf(ctx, actor.WorkspaceID, actor.ID)
			if err != nil {
				return message{}, err
			}
			f.OwnerIDs = []string{actor.ID}
			for _, u := range team {
				f.OwnerIDs = append(f.OwnerIDs, u.ID)
			}
			header = "Open leads of your team"
		case scope.all:
			header = "All open leads"
		case scope.user != "" && scope.user != actor.ID:
			owner, err := a.store.User(ctx, actor.WorkspaceID, scope.user)
			if err != nil && !isNotFound(err) {
				return message{}, err
			}
			owner.WorkspaceID, owner.ID = actor.WorkspaceID, scope.user
			if err := pipeline.Authorize(actor, owner); err != nil {
				return message{}, err
			}
			f.OwnerIDs = []string{scope.user}
			header = "Open leads of " + render.UserMention(scope.user)
		default:
			f.OwnerIDs = []string{actor.ID}
		}
		deals, err := a.store.ListDeals(ctx, actor.WorkspaceID, f)
		if err != nil {
			return message{}, err
		}
		leads := deals[:0]
		for _, d := range deals {
			if d.Stage == pipeline.StageLead {
				leads = append(leads, d)
			}
		}
		if len(leads) == 0 {
			return ephemeral(header + ": none. `/lead new` captures one."), nil
		}
		return a.dealList(ctx, actor, fmt.Sprintf("%s (%d)", header, len(leads)), leads)
	})
}

// leadAssign handles "/lead assign D-42 @user" (see sales.Service.AssignLead):
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

// answerHandoff records Accept or Reject (see sales.Service.AnswerHandoff),
// redraws the offer and tells the previous owner.
func (a *App) answerHandoff(cb slack.InteractionCallback, n int64, accept bool) Reply {
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, dbTimeout)
		defer cancel()
		actor, _, err := a.actor(dbctx, cb.Team.ID, cb.User.ID)
		var res sales.HandoffAnswer
		if err == nil {
			res, err = a.sales.AnswerHandoff(dbctx, sales.AnswerHandoff{Team: actor.WorkspaceID, Actor: actor, Number: n,
				Accept: accept, IdempotencyKey: actionKey(cb)})
		}
		if errors.Is(err, errDuplicate) {
			return nil // the first delivery answered
		}
		if err != nil {
			return a.tell(ctx, cb.ResponseURL, cb.User.ID, ephemeral(a.userError(err, cb.Team.ID, cb.User.ID)))
		}
		d, next := res.Deal, res.Next
		a.dealsChanged(dbctx, actor.WorkspaceID, actor.ID, d.OwnerID, next)
		text := render.HandoffAnswered(res, accept)
		m := message{Text: text, ReplaceOriginal: true, Blocks: []slack.Block{slack.NewSectionBlock(render.Mrkdwn(text), nil, nil)}}
		return a.tell(ctx, cb.ResponseURL, cb.User.ID, m)
	}}
}
