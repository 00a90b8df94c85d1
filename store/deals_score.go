package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

// The BANT answers live under "bant" and the score's reasons under
// "reasons" of deals.qualification, so either can change alone.
const updateQualification = `
UPDATE deals SET qualification = jsonb_set(qualification, '{bant}', $3::jsonb), updated_at = $4
WHERE workspace_id = $1 AND id = $2`

// One row per deal to score: its answers, its account's fit and how busy it
// has been. The activity count reads activities_deal_idx. With $2 = 0 it
// reads every open deal of the workspace (served by the open-deal indexes).
const selectScoreInputs = `
SELECT d.id, d.qualification->'bant' AS bant, a.industry, a.company_size, d.source, d.amount_minor, d.currency,
       (SELECT count(*) FROM activities x
        WHERE x.deal_id = d.id AND x.created_at > $3::timestamptz - interval '30 days') AS recent
FROM deals d
JOIN accounts a ON a.id = d.account_id
WHERE d.workspace_id = $1 AND (d.id = $2 OR ($2 = 0 AND d.stage NOT IN ('won', 'lost')))`

// Scores change only when they differ, so a rescore that changes nothing
// writes nothing.
const updateScores = `
UPDATE deals d SET score = u.score, qualification = jsonb_set(d.qualification, '{reasons}', u.reasons)
FROM unnest($2::bigint[], $3::int[], $4::jsonb[]) AS u(id, score, reasons)
WHERE d.workspace_id = $1 AND d.id = u.id
  AND (d.score <> u.score OR d.qualification->'reasons' IS DISTINCT FROM u.reasons)`

// ScoreInput is one deal's scoring inputs.
type ScoreInput struct {
	DealID int64
	pipeline.ScoreInput
}

type scoreRow struct {
	ID          int64  `db:"id"`
	BANT        []byte `db:"bant"`
	Industry    string `db:"industry"`
	Size        string `db:"company_size"`
	Source      string `db:"source"`
	AmountMinor int64  `db:"amount_minor"`
	Currency    string `db:"currency"`
	Recent      int    `db:"recent"`
}

// ScoreInputs reads what the score of deal dealID is computed from, or of
// every open deal of the workspace when dealID is 0; activities count from
// the 30 days before now.
func (s *Store) ScoreInputs(ctx context.Context, ex Executor, teamID string, dealID int64, now time.Time) ([]ScoreInput, error) {
	var rows []scoreRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectScoreInputs, teamID, dealID, now); err != nil {
		return nil, fmt.Errorf("store: score inputs of %s: %w", teamID, err)
	}
	out := make([]ScoreInput, len(rows))
	for i, r := range rows {
		in := pipeline.ScoreInput{Industry: r.Industry, CompanySize: r.Size, Source: r.Source,
			Value: pipeline.Money{Minor: r.AmountMinor, Currency: r.Currency}, Activities30d: r.Recent}
		if len(r.BANT) > 0 && string(r.BANT) != "null" {
			var q pipeline.Qualification
			if err := json.Unmarshal(r.BANT, &q); err != nil {
				return nil, fmt.Errorf("store: qualification of deal %d: %w", r.ID, err)
			}
			in.Qualification = &q
		}
		out[i] = ScoreInput{DealID: r.ID, ScoreInput: in}
	}
	return out, nil
}

// Score is a deal's computed score and its reasons.
type Score struct {
	DealID  int64
	Score   int
	Reasons []string
}

// SetScores stores scores (and their reasons) in one statement.
func (s *Store) SetScores(ctx context.Context, ex Executor, teamID string, scores []Score) error {
	if len(scores) == 0 {
		return nil
	}
	ids, pts, reasons := make(pq.Int64Array, len(scores)), make(pq.Int64Array, len(scores)), make(pq.StringArray, len(scores))
	for i, sc := range scores {
		b, err := json.Marshal(append([]string{}, sc.Reasons...))
		if err != nil {
			return fmt.Errorf("store: encode reasons: %w", err)
		}
		ids[i], pts[i], reasons[i] = sc.DealID, int64(sc.Score), string(b)
	}
	if _, err := ex.ExecContext(ctx, updateScores, teamID, ids, pts, reasons); err != nil {
		return fmt.Errorf("store: set scores in %s: %w", teamID, err)
	}
	return nil
}

// SaveQualification stores deal d's BANT answers and appends a "qualified"
// history entry at now summarising them.
func (s *Store) SaveQualification(ctx context.Context, ex Executor, d pipeline.Deal, q pipeline.Qualification, summary, actorID string, now time.Time) error {
	return s.inTx(ctx, ex, func(tx *sqlx.Tx) error { return s.saveQualification(ctx, tx, d, q, summary, actorID, now) })
}

func (s *Store) saveQualification(ctx context.Context, ex Executor, d pipeline.Deal, q pipeline.Qualification, summary, actorID string, now time.Time) error {
	b, err := json.Marshal(q)
	if err != nil {
		return fmt.Errorf("store: encode qualification: %w", err)
	}
	if _, err := ex.ExecContext(ctx, updateQualification, d.WorkspaceID, d.ID, string(b), now); err != nil {
		return fmt.Errorf("store: qualify %s: %w", d.Ref(), err)
	}
	if err := s.appendHistory(ctx, ex, d.WorkspaceID, d.ID, actorID, now, entry{"qualified", "", "", summary}); err != nil {
		return fmt.Errorf("store: qualify %s: %w", d.Ref(), err)
	}
	return nil
}

const selectQualification = `SELECT COALESCE(qualification->'bant', 'null') FROM deals WHERE workspace_id = $1 AND id = $2`

// Qualification returns deal d's BANT answers, nil before it is qualified.
func (s *Store) Qualification(ctx context.Context, ex Executor, d pipeline.Deal) (*pipeline.Qualification, error) {
	var raw []byte
	if err := sqlx.GetContext(ctx, ex, &raw, selectQualification, d.WorkspaceID, d.ID); err != nil {
		return nil, fmt.Errorf("store: qualification of %s: %w", d.Ref(), notFound(err))
	}
	var q *pipeline.Qualification
	if err := json.Unmarshal(raw, &q); err != nil {
		return nil, fmt.Errorf("store: qualification of %s: %w", d.Ref(), err)
	}
	return q, nil
}

// reasons decodes a deal's stored score reasons; unreadable ones show none.
func reasons(raw []byte) []string {
	var out []string
	if len(raw) > 0 {
		_ = json.Unmarshal(raw, &out)
	}
	return out
}
