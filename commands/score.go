package commands

import (
	"context"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// rescore recomputes the lead score of deal dealID (or, with 0, of every
// open deal of the workspace) inside tx, so the score commits with the change
// that moved it.
func (a *App) rescore(ctx context.Context, tx *sqlx.Tx, teamID string, dealID int64) ([]store.Score, error) {
	icp, err := a.store.ICP(ctx, tx, teamID)
	if err != nil {
		return nil, err
	}
	inputs, err := a.store.ScoreInputs(ctx, tx, teamID, dealID, a.now())
	if err != nil {
		return nil, err
	}
	scores := make([]store.Score, len(inputs))
	for i, in := range inputs {
		n, reasons := pipeline.Score(in.ScoreInput, icp)
		scores[i] = store.Score{DealID: in.DealID, Score: n, Reasons: reasons}
	}
	return scores, a.store.SetScores(ctx, tx, teamID, scores)
}

// rescored is d with its score recomputed and stored, for cards drawn from it.
func (a *App) rescored(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal) (pipeline.Deal, error) {
	scores, err := a.rescore(ctx, tx, d.WorkspaceID, d.ID)
	if err != nil {
		return d, err
	}
	if len(scores) != 1 {
		return d, fmt.Errorf("score %s: the deal is gone", d.Ref())
	}
	d.Score, d.ScoreReasons = scores[0].Score, scores[0].Reasons
	return d, nil
}

// scoreLine is the card's line under the fields: the score and why.
func scoreLine(d pipeline.Deal) string {
	return fmt.Sprintf("Score %d/100: %s", d.Score, escape(strings.Join(d.ScoreReasons, " · ")))
}
