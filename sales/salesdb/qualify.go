package salesdb

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
)

// QualifyLead stores in.Actor's answers on a deal and its new score, and
// moves it through the ordinary stage move (its history, rules and notices
// apply), all in one transaction keyed by in.IdempotencyKey: a failed move
// keeps nothing. The actor's right to the deal is checked (ErrNotFound,
// ErrForbidden); a closed deal is refused with a *ValidationError.
func (s *Service) QualifyLead(ctx context.Context, in QualifyLead) (QualifiedLead, error) {
	if err := validTarget(in.Team, in.Actor, in.Number, "deal"); err != nil {
		return QualifiedLead{}, err
	}
	st, err := s.store.EnsureWorkspace(ctx, s.store.DB(), in.Team, s.defaults)
	if err != nil {
		return QualifiedLead{}, err
	}
	stages, err := s.store.Stages(ctx, s.store.DB(), in.Team)
	if err != nil {
		return QualifiedLead{}, err
	}
	var res QualifiedLead
	err = s.once(ctx, in.Team, in.IdempotencyKey, func(tx *sqlx.Tx) error {
		cur, err := s.lockDeal(ctx, tx, in.Actor, in.Number)
		if err != nil {
			return err
		}
		if cur.Stage.Closed() {
			return invalid("deal", "%s is closed; reopen it before qualifying it.", cur.Ref())
		}
		if err := s.store.SaveQualification(ctx, tx, cur, in.Answers, bantSummary(in.Answers), in.Actor.ID, s.now()); err != nil {
			return err
		}
		if res.Deal, err = s.Rescored(ctx, tx, cur); err != nil {
			return err
		}
		var m *pipeline.Move
		switch {
		case in.Reason != "":
			m = &pipeline.Move{To: pipeline.StageLost, Reason: "Disqualified: " + in.Reason}
		case res.Deal.Stage == pipeline.StageLead:
			m = &pipeline.Move{To: pipeline.StageQualified}
		}
		if m == nil {
			return nil
		}
		moved, err := s.moveTx(ctx, tx, in.Actor, st, stages, in.Number, *m)
		res.Deal, res.Moved, res.Change = moved.After, true, moved.Change
		return err
	})
	if err != nil {
		return QualifiedLead{}, err
	}
	return res, nil
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
