package commands

import (
	"context"
	"fmt"

	"github.com/slack-go/slack"

	"salesbot/pipeline"
	"salesbot/render"
	"salesbot/sales"
)

const cbQualify = "lead_qualify"

// leadQualify handles "/lead qualify D-42": the BANT modal.
func (a *App) leadQualify(ctx context.Context, in SlashInput) Reply {
	n, err := parseRefOnly(in.Rest, "/lead qualify D-42")
	if err != nil {
		return Reply{Ack: ephemeral(a.userError(err, in.TeamID, in.UserID))}
	}
	return Reply{Later: func(ctx context.Context) error {
		dbctx, cancel := context.WithTimeout(ctx, fastDBTimeout*2)
		defer cancel()
		actor, _, err := a.actor(dbctx, in.TeamID, in.UserID)
		var d pipeline.Deal
		var q *pipeline.Qualification
		if err == nil {
			d, q, err = a.sales.Qualification(dbctx, actor, n)
		}
		if err == nil && d.Stage.Closed() {
			err = badInput("%s is closed; reopen it (`/deal move %s lead`) before qualifying it.", d.Ref(), d.Ref())
		}
		if err != nil {
			return a.respond(ctx, in.ResponseURL, ephemeral(a.userError(err, in.TeamID, in.UserID)))
		}
		ref := cardRef{Number: n, ResponseURL: in.ResponseURL, Channel: in.ChannelID}
		return a.openModal(ctx, in.TriggerID, qualifyModal(d, q, ref),
			modalOpen{form: "qualification", again: fmt.Sprintf("run `/lead qualify %s` again", d.Ref()), responseURL: in.ResponseURL, user: in.UserID})
	}}
}

// qualifyModal is the BANT form, showing the previous answers (q) if any.
func qualifyModal(d pipeline.Deal, q *pipeline.Qualification, ref cardRef) slack.ModalViewRequest {
	var prev pipeline.Qualification
	budget := ""
	if q != nil {
		prev, budget = *q, "no"
		if q.BudgetConfirmed {
			budget = "yes"
		}
	}
	sel := func(id, placeholder string, values []string, label func(string) string, initial string) *slack.SelectBlockElement {
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, render.Plain(placeholder), id, options(values, label)...)
		for _, o := range el.Options {
			if o.Value == initial {
				el.InitialOption = o
			}
		}
		return el
	}
	yesNo := func(v string) string {
		if v == "yes" {
			return "Yes, confirmed"
		}
		return "No, not yet"
	}
	outcome := func(v string) string { return optionLabel(v) }
	f := func(k pipeline.LeadField) string { return string(k) }
	return modal(cbQualify, "Qualify "+d.Ref(), "Save", ref,
		slack.NewSectionBlock(render.Mrkdwn(fmt.Sprintf("*%s · %s*", d.Ref(), render.Escape(d.AccountName))), nil, nil),
		field(f(pipeline.FieldBudget), "Budget confirmed", "", sel(f(pipeline.FieldBudget), "Yes or no", []string{"yes", "no"}, yesNo, budget), false),
		field(f(pipeline.FieldBudgetRange), "Budget range", "e.g. 20–40k per year", textEl(f(pipeline.FieldBudgetRange), "20-40k", prev.BudgetRange, pipeline.MaxBudgetRange, false), true),
		field(f(pipeline.FieldAuthority), "Authority", "Who the contact is in the decision.", sel(f(pipeline.FieldAuthority), "Choose", pipeline.Authorities, pipeline.ChoiceLabel, prev.Authority), false),
		field(f(pipeline.FieldNeed), "Need", "The problem they want solved, in their words.", textEl(f(pipeline.FieldNeed), "Their reps lose track of follow-ups", prev.Need, pipeline.MaxNotesLen, true), true),
		field(f(pipeline.FieldTiming), "Timing", "When they mean to buy.", sel(f(pipeline.FieldTiming), "Choose", pipeline.Timings, pipeline.ChoiceLabel, prev.Timing), false),
		field(f(pipeline.FieldOutcome), "Outcome", "Disqualified closes the lead as lost.", sel(f(pipeline.FieldOutcome), "Choose", []string{pipeline.OutcomeQualified, pipeline.OutcomeDisqualified}, outcome, pipeline.OutcomeQualified), false),
		field(f(pipeline.FieldReason), "Disqualification reason", "Needed when disqualified.", textEl(f(pipeline.FieldReason), "No budget this year", "", pipeline.MaxReasonLen, false), true),
	)
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
// key (see sales.Service.QualifyLead), and says what happened.
func (a *App) qualify(ctx context.Context, actor pipeline.User, n int64, q pipeline.Qualification, reason, key string) (pipeline.Deal, string, error) {
	res, err := a.sales.QualifyLead(ctx, sales.QualifyLead{Team: actor.WorkspaceID, Actor: actor, Number: n,
		Answers: q, Reason: reason, IdempotencyKey: key})
	if err != nil {
		return pipeline.Deal{}, "", err
	}
	if reason != "" {
		return res.Deal, fmt.Sprintf(":no_entry_sign: %s disqualified and closed as lost.", res.Deal.Ref()), nil
	}
	return res.Deal, fmt.Sprintf(":white_check_mark: %s qualified: score %d/100.", res.Deal.Ref(), res.Deal.Score), nil
}
