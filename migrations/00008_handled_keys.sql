-- Keys of requests already carried out (a modal submission's view ID, for
-- example), claimed in the same transaction as the change they made, so a
-- redelivered envelope or a double click changes nothing twice.

-- +goose Up
CREATE TABLE handled_keys (
    workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
    key          text NOT NULL CHECK (key <> ''),
    created_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, key)
);

-- +goose Down
DROP TABLE handled_keys;
