package store

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const selectStages = `
SELECT key, label, position, probability, stale_days
FROM stages
WHERE workspace_id = $1
ORDER BY position, key`

// One statement for the whole table: the arrays are zipped by unnest.
const insertStagesSQL = `
INSERT INTO stages (workspace_id, key, label, position, probability, stale_days)
SELECT $1, s.key, s.label, s.position, s.probability, s.stale_days
FROM unnest($2::text[], $3::text[], $4::int[], $5::int[], $6::int[])
    AS s(key, label, position, probability, stale_days)
ON CONFLICT (workspace_id, key) DO NOTHING`

type stageRow struct {
	Key         string `db:"key"`
	Label       string `db:"label"`
	Position    int    `db:"position"`
	Probability int    `db:"probability"`
	StaleDays   int    `db:"stale_days"`
}

// Stages returns the workspace's pipeline stages in order.
func (s *Store) Stages(ctx context.Context, ex Executor, teamID string) ([]pipeline.StageDef, error) {
	var rows []stageRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectStages, teamID); err != nil {
		return nil, fmt.Errorf("store: stages of %s: %w", teamID, err)
	}
	out := make([]pipeline.StageDef, len(rows))
	for i, r := range rows {
		out[i] = pipeline.StageDef{Key: pipeline.Stage(r.Key), Label: r.Label, Position: r.Position,
			Probability: r.Probability, StaleDays: r.StaleDays}
	}
	return out, nil
}

func insertStages(ctx context.Context, ex Executor, teamID string, defs []pipeline.StageDef) error {
	var (
		keys, labels         pq.StringArray
		pos, prob, staleDays pq.Int64Array
	)
	for _, d := range defs {
		keys = append(keys, string(d.Key))
		labels = append(labels, d.Label)
		pos = append(pos, int64(d.Position))
		prob = append(prob, int64(d.Probability))
		staleDays = append(staleDays, int64(d.StaleDays))
	}
	if _, err := ex.ExecContext(ctx, insertStagesSQL, teamID, keys, labels, pos, prob, staleDays); err != nil {
		return fmt.Errorf("insert stages: %w", err)
	}
	return nil
}
