package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"salesbot/pipeline"
)

const insertAPIKey = `
INSERT INTO api_keys (prefix, workspace_id, label, kind, allowed_origins, key_hash, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`

const apiKeyColumns = `prefix, workspace_id, label, kind, allowed_origins, created_by, created_at, revoked_at`

const selectAPIKeys = `SELECT ` + apiKeyColumns + ` FROM api_keys WHERE workspace_id = $1 ORDER BY created_at, prefix`

const selectAPIKeyByPrefix = `SELECT ` + apiKeyColumns + `, key_hash FROM api_keys WHERE prefix = $1`

// A revoked key stays revoked at its first time: revoking twice changes nothing.
const revokeAPIKey = `
UPDATE api_keys SET revoked_at = COALESCE(revoked_at, $3)
WHERE workspace_id = $1 AND prefix = $2
RETURNING ` + apiKeyColumns

type apiKeyRow struct {
	Prefix    string         `db:"prefix"`
	Team      string         `db:"workspace_id"`
	Label     string         `db:"label"`
	Kind      string         `db:"kind"`
	Origins   pq.StringArray `db:"allowed_origins"`
	CreatedBy string         `db:"created_by"`
	CreatedAt time.Time      `db:"created_at"`
	RevokedAt *time.Time     `db:"revoked_at"`
	Hash      []byte         `db:"key_hash"`
}

func (r apiKeyRow) key() pipeline.APIKey {
	return pipeline.APIKey{Team: r.Team, Prefix: r.Prefix, Label: r.Label, Kind: r.Kind,
		AllowedOrigins: []string(r.Origins), CreatedBy: r.CreatedBy, CreatedAt: r.CreatedAt, RevokedAt: r.RevokedAt}
}

// InsertAPIKey stores k with the hash of its raw key.
func (s *Store) InsertAPIKey(ctx context.Context, ex Executor, k pipeline.APIKey, hash []byte) error {
	origins := k.AllowedOrigins
	if origins == nil {
		origins = []string{}
	}
	if _, err := ex.ExecContext(ctx, insertAPIKey, k.Prefix, k.Team, k.Label, k.Kind, pq.StringArray(origins),
		hash, k.CreatedBy, k.CreatedAt); err != nil {
		return fmt.Errorf("store: insert API key of %s: %w", k.Team, err)
	}
	return nil
}

// APIKeys are the workspace's keys, revoked ones included, oldest first.
func (s *Store) APIKeys(ctx context.Context, ex Executor, teamID string) ([]pipeline.APIKey, error) {
	var rows []apiKeyRow
	if err := sqlx.SelectContext(ctx, ex, &rows, selectAPIKeys, teamID); err != nil {
		return nil, fmt.Errorf("store: API keys of %s: %w", teamID, err)
	}
	out := make([]pipeline.APIKey, len(rows))
	for i, r := range rows {
		out[i] = r.key()
	}
	return out, nil
}

// APIKeyByPrefix is the key of any workspace with that prefix, and its hash
// (ErrNotFound when there is none).
func (s *Store) APIKeyByPrefix(ctx context.Context, ex Executor, prefix string) (pipeline.APIKey, []byte, error) {
	var r apiKeyRow
	if err := sqlx.GetContext(ctx, ex, &r, selectAPIKeyByPrefix, prefix); err != nil {
		return pipeline.APIKey{}, nil, fmt.Errorf("store: API key %s: %w", prefix, notFound(err))
	}
	return r.key(), r.Hash, nil
}

// RevokeAPIKey marks the workspace's key revoked at (ErrNotFound when the
// workspace has no such key).
func (s *Store) RevokeAPIKey(ctx context.Context, ex Executor, teamID, prefix string, at time.Time) (pipeline.APIKey, error) {
	var r apiKeyRow
	if err := sqlx.GetContext(ctx, ex, &r, revokeAPIKey, teamID, prefix, at); err != nil {
		return pipeline.APIKey{}, fmt.Errorf("store: revoke API key %s of %s: %w", prefix, teamID, notFound(err))
	}
	return r.key(), nil
}
