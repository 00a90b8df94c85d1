package commands

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/slack-go/slack"

	"salesbot/outbox"
	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// Handoff button action IDs; the value is the deal number.
const (
	actAccept = "handoff_accept"
	actReject = "handoff_reject"
)

// leadList handles "/lead list [mine|all|@user]": open deals at the lead stage.
func (a *App) leadList(ctx context.Context, in SlashInput) Reply {
	scope, err := parseListScope(in.Args)
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.later(in, func(ctx context.Context, actor pipeline.User, st pipeline.Settings) (message, error) {
		header := "Your open leads"
		switch {
		case scope.all && actor.Role == pipeline.RoleRep:
			return message{}, fmt.Errorf("%w: a rep sees their own leads; `/lead list` shows yours", pipeline.ErrForbidden)
		case scope.all && actor.Role == pipeline.RoleManager:
			header = "Open leads of your team"
		case scope.all:
			header = "All open leads"
		case scope.user != "" && scope.user != actor.ID:
			header = "Open leads of " + render.UserMention(scope.user)
		}
		leads, err := a.sales.OpenLeads(ctx, sales.ListLeads{Actor: actor, All: scope.all, Of: scope.user})
		if err != nil {
			return message{}, err
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
			return message{}, badInput("%s already belongs to %s.", pipeline.FormatRef(already.Number), render.UserMention(already.Owner))
		}
		if err != nil {
			return message{}, err
		}
		d := res.Deal
		a.dealsChanged(ctx, actor.WorkspaceID, res.Previous, d.OwnerID)
		if !res.Offered {
			return a.cardMessage(ctx, actor, d, fmt.Sprintf(":handshake: %s is yours now.", d.Ref()))
		}
		return ephemeral(fmt.Sprintf(":handshake: %s offered to %s; you'll hear when they answer.", d.Ref(), render.UserMention(to))), nil
	})
}

// handoffOffer is the DM that asks the new owner to take the deal.
func handoffOffer(d pipeline.Deal, from string) outbox.Message {
	n := strconv.FormatInt(d.Number, 10)
	accept := slack.NewButtonBlockElement(actAccept, n, render.Plain("Accept"))
	accept.Style = slack.StylePrimary
	reject := slack.NewButtonBlockElement(actReject, n, render.Plain("Reject"))
	reject.Style = slack.StyleDanger
	blocks := append([]slack.Block{
		slack.NewSectionBlock(render.Mrkdwn(fmt.Sprintf(":handshake: %s handed you *%s*. Will you take it?", render.UserMention(from), d.Ref())), nil, nil),
	}, dealCard(card{deal: d})...)
	blocks = append(blocks, slack.NewActionBlock("handoff:"+n, accept, reject))
	return outbox.Message{
		TeamID: d.WorkspaceID, Channel: d.OwnerID, Kind: "handoff_offer",
		Text:   fmt.Sprintf("%s handed you %s (%s). Accept or reject it.", render.UserMention(from), d.Ref(), render.Escape(d.AccountName)),
		Blocks: render.MustJSON(blocks),
	}
}

// handoffAnswer is the DM that tells the previous owner how their offer
// was answered.
func handoffAnswer(n sales.HandoffAnswered) outbox.Message {
	verb := "accepted"
	if !n.Accepted {
		verb = "rejected"
	}
	return outbox.Message{
		TeamID: n.Deal.WorkspaceID, Channel: n.To, Kind: "handoff_answer",
		Text: fmt.Sprintf("%s %s %s (%s).", render.UserMention(n.By), verb, n.Deal.Ref(), render.Escape(n.Deal.AccountName)),
	}
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
		text := fmt.Sprintf(":white_check_mark: You accepted %s. It's yours now.", d.Ref())
		if !accept {
			text = fmt.Sprintf(":leftwards_arrow_with_hook: You rejected %s; it went back to %s.", d.Ref(), render.UserMention(d.OwnerID))
		}
		if next != "" {
			text = fmt.Sprintf(":leftwards_arrow_with_hook: You rejected %s; it went to the next rep.", d.Ref())
		}
		m := message{Text: text, ReplaceOriginal: true, Blocks: []slack.Block{slack.NewSectionBlock(render.Mrkdwn(text), nil, nil)}}
		return a.tell(ctx, cb.ResponseURL, cb.User.ID, m)
	}}
}
