package salesdb

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"salesbot/pipeline"
	"salesbot/store"
)

// Rescore recomputes the lead score of deal dealID (or, with 0, of every
// open deal of the workspace) inside tx, so the score commits with the change
// that moved it.
func (s *Service) Rescore(ctx context.Context, tx *sqlx.Tx, teamID string, dealID int64) ([]store.Score, error) {
	icp, err := s.store.ICP(ctx, tx, teamID)
	if err != nil {
		return nil, err
	}
	inputs, err := s.store.ScoreInputs(ctx, tx, teamID, dealID, s.now())
	if err != nil {
		return nil, err
	}
	scores := make([]store.Score, len(inputs))
	for i, in := range inputs {
		n, reasons := pipeline.Score(in.ScoreInput, icp)
		scores[i] = store.Score{DealID: in.DealID, Score: n, Reasons: reasons}
	}
	return scores, s.store.SetScores(ctx, tx, teamID, scores)
}

// Rescored is d with its score recomputed and stored in tx.
func (s *Service) Rescored(ctx context.Context, tx *sqlx.Tx, d pipeline.Deal) (pipeline.Deal, error) {
	scores, err := s.Rescore(ctx, tx, d.WorkspaceID, d.ID)
	if err != nil {
		return d, err
	}
	if len(scores) != 1 {
		return d, fmt.Errorf("score %s: the deal is gone", d.Ref())
	}
	d.Score, d.ScoreReasons = scores[0].Score, scores[0].Reasons
	return d, nil
}

// scoreNew scores a lead just created, in a transaction of its own: the
// creating transaction holds the workspace's deal-number lock, which every
// other new lead of the workspace waits for, so it stays as short as it can.
// The score is derived data: should this fail, the next change recomputes it.
func (s *Service) scoreNew(ctx context.Context, d pipeline.Deal) pipeline.Deal {
	err := s.store.WithTx(ctx, func(tx *sqlx.Tx) error {
		var err error
		d, err = s.Rescored(ctx, tx, d)
		return err
	})
	if err != nil {
		s.log.Warn("score new lead", "team", d.WorkspaceID, "deal", d.Ref(), "error", err)
	}
	return d
}
