-- Webhooks send a workspace's deal events to its other systems. Each
-- endpoint has its own signing secret (kept, since every request is signed
-- with it). An endpoint failing since failing_since (its first failure after
-- its last success) for three days is disabled; each delivery is a River job.
-- +goose Up
CREATE TABLE webhook_endpoints (
    id              bigserial PRIMARY KEY,
    workspace_id    text NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
    url             text NOT NULL CHECK (url <> '' AND length(url) <= 2000),
    events          text[] NOT NULL CHECK (cardinality(events) > 0),
    secret          text NOT NULL CHECK (secret <> ''),
    state           text NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'disabled')),
    created_by      text NOT NULL,
    created_at      timestamptz NOT NULL,
    last_success_at timestamptz,
    failing_since   timestamptz,
    last_failure_at timestamptz,
    last_error      text NOT NULL DEFAULT '',
    disabled_at     timestamptz
);

CREATE INDEX webhook_endpoints_workspace_idx ON webhook_endpoints (workspace_id, id);

-- +goose Down
DROP TABLE webhook_endpoints;
