package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/slack-go/slack"

	"salesbot/pipeline"
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
		if err == nil {
			d, err = a.dealFor(dbctx, actor, n)
		}
		var q *pipeline.Qualification
		if err == nil {
			q, err = a.store.Qualification(dbctx, d)
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
		el := slack.NewOptionsSelectBlockElement(slack.OptTypeStatic, plain(placeholder), id, options(values, label)...)
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
		slack.NewSectionBlock(mrkdwn(fmt.Sprintf("*%s · %s*", d.Ref(), escape(d.AccountName))), nil, nil),
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
	return a.applyCardChange(cb, ref, func(ctx context.Context, actor pipeline.User, st pipeline.Settings, key string) (pipeline.Deal, string, error) {
		return a.qualify(ctx, actor, st, ref.Number, q, reason, key)
	})
}

// qualify stores the answers and the score, and moves the deal through
// moveTx (so that its history and outbox rules apply), in one transaction:
// a failed move keeps nothing, and a retry finds the key free. A redelivery
// finds the key claimed and changes nothing.
func (a *App) qualify(ctx context.Context, actor pipeline.User, st pipeline.Settings, n int64, q pipeline.Qualification, reason, key string) (pipeline.Deal, string, error) {
	stages, err := a.store.Stages(ctx, actor.WorkspaceID)
	if err != nil {
		return pipeline.Deal{}, "", err
	}
	var d pipeline.Deal
	var summary string
	err = a.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		if err := a.claim(ctx, tx, actor.WorkspaceID, key); err != nil {
			return err
		}
		cur, err := a.lockDeal(ctx, tx, actor, n)
		if err != nil {
			return err
		}
		if cur.Stage.Closed() {
			return badInput("%s is closed; reopen it before qualifying it.", cur.Ref())
		}
		if err := a.store.SaveQualification(ctx, tx, cur, q, bantSummary(q), actor.ID); err != nil {
			return err
		}
		if d, err = a.rescored(ctx, tx, cur); err != nil {
			return err
		}
		summary = fmt.Sprintf(":white_check_mark: %s qualified: score %d/100.", d.Ref(), d.Score)
		var m *pipeline.Move
		switch {
		case reason != "":
			m = &pipeline.Move{To: pipeline.StageLost, Reason: "Disqualified: " + reason}
			summary = fmt.Sprintf(":no_entry_sign: %s disqualified and closed as lost.", d.Ref())
		case d.Stage == pipeline.StageLead:
			m = &pipeline.Move{To: pipeline.StageQualified}
		}
		if m != nil {
			d, _, err = a.moveTx(ctx, tx, actor, st, stages, n, *m)
		}
		return err
	})
	if err != nil {
		return pipeline.Deal{}, "", err
	}
	return d, summary, nil
}

// bantSummary is the answers in one line, for the history.
func bantSummary(q pipeline.Qualification) string {
	budget := "budget not confirmed"
	if q.BudgetConfirmed {
		budget = "budget confirmed"
	}
	if q.BudgetRange != "" {
		budget += " (" + q.BudgetRange + ")"
	}
	parts := []string{budget, strings.ToLower(pipeline.ChoiceLabel(q.Authority)), "timing " + strings.ToLower(pipeline.ChoiceLabel(q.Timing))}
	if q.Need != "" {
		parts = append(parts, "need: "+clip(q.Need, 200))
	}
	return strings.Join(parts, "; ")
}
