package commands

import (
	"context"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

// leadQualify handles "/lead qualify D-42": the BANT modal.
func (a *App) leadQualify(ctx context.Context, in SlashInput) Reply {
	n, err := parseRefOnly(in.Rest, "/lead qualify D-42")
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return a.openForm(in, render.FormQualify(n), func(ctx context.Context, actor pipeline.User, _ pipeline.Settings) (slack.ModalViewRequest, error) {
		d, q, err := a.sales.Qualification(ctx, actor, n)
		if err == nil && d.Stage.Closed() {
			err = inputError{render.QualifyClosed(d)}
		}
		ref := cardRef{Number: n, ResponseURL: in.ResponseURL, Channel: in.ChannelID}
		return render.QualifyModal(d, q, ref.encode()), err
	})
}

// qualifySubmit validates the BANT form and, after the ack, stores the
// answers and the new score, then moves the lead (qualified) or closes it
// lost (disqualified) through the ordinary stage move.
func (a *App) qualifySubmit(ctx context.Context, cb slack.InteractionCallback) Reply {
	ref, err := decodeCardRef(cb.View.PrivateMetadata)
	if err != nil {
		a.log.Warn("qualify modal without a deal", "error", err)
		return Reply{}
	}
	v := func(f pipeline.LeadField) slack.BlockAction { return stateValue(cb.View.State, string(f)) }
	q, reason, fe := pipeline.ValidateQualification(pipeline.QualifyForm{
		Budget: v(pipeline.FieldBudget).SelectedOption.Value, BudgetRange: v(pipeline.FieldBudgetRange).Value,
		Authority: v(pipeline.FieldAuthority).SelectedOption.Value, Need: v(pipeline.FieldNeed).Value,
		Timing: v(pipeline.FieldTiming).SelectedOption.Value, Outcome: v(pipeline.FieldOutcome).SelectedOption.Value,
		Reason: v(pipeline.FieldReason).Value,
	})
	if len(fe) > 0 {
		return Reply{Ack: inlineErrors(fe)}
	}
	return a.applyCardChange(cb, ref, func(ctx context.Context, actor pipeline.User, _ pipeline.Settings, key string) (pipeline.Deal, string, error) {
		return a.qualify(ctx, actor, ref.Number, q, reason, key)
	})
}

// qualify stores the answers and the score and moves the deal, once per
// key (see salesdb.Service.QualifyLead), and says what happened.
func (a *App) qualify(ctx context.Context, actor pipeline.User, n int64, q pipeline.Qualification, reason, key string) (pipeline.Deal, string, error) {
	res, err := a.sales.QualifyLead(ctx, sales.QualifyLead{Team: actor.WorkspaceID, Actor: actor, Number: n,
		Answers: q, Reason: reason, IdempotencyKey: key})
	if err != nil {
		return pipeline.Deal{}, "", err
	}
	return res.Deal, render.Qualified(res.Deal, reason != ""), nil
}
