-- API keys let outside systems and web forms reach a workspace. Only a hash
-- of each key is kept: the key is shown once, when it is made. The short
-- prefix is the key's public name, for listing and revoking, and finds the
-- row when a key is checked (the hash is then compared).
-- +goose Up
CREATE TABLE api_keys (
    prefix          text PRIMARY KEY CHECK (prefix ~ '^[a-z2-7]{8}$'),
    workspace_id    text NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
    label           text NOT NULL CHECK (label <> '' AND length(label) <= 80),
    kind            text NOT NULL CHECK (kind IN ('secret', 'form')),
    allowed_origins text[] NOT NULL DEFAULT '{}',
    key_hash        bytea NOT NULL CHECK (length(key_hash) = 32),
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL,
    revoked_at      timestamptz
);

CREATE INDEX api_keys_workspace_idx ON api_keys (workspace_id, created_at);

-- +goose Down
DROP TABLE api_keys;
