-- The API pages a workspace's deals by when they last changed.
-- +goose Up
CREATE INDEX deals_updated_idx ON deals (workspace_id, updated_at, id);

-- +goose Down
DROP INDEX deals_updated_idx;
