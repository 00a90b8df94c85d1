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
// open deal of the workspace) inside tx (see sales.Service.Rescore).
func (a *App) rescore(ctx context.Context, tx *sqlx.Tx, teamID string, dealID int64) ([]store.Score, error) {
	return a.sales.Rescore(ctx, tx, teamID, dealID)
}

// rescored is d with its score recomputed and stored, for cards drawn from it.
func (a *App) rescored(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal) (pipeline.Deal, error) {
	return a.sales.Rescored(ctx, tx, d)
}

// scoreLine is the card's line under the fields: the score and why.
func scoreLine(d pipeline.Deal) string {
	return fmt.Sprintf("Score %d/100: %s", d.Score, escape(strings.Join(d.ScoreReasons, " · ")))
}
