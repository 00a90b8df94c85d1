-- The scheduler tick prunes handled keys older than a week: read them by age.

-- +goose Up
CREATE INDEX handled_keys_created_idx ON handled_keys (created_at);

-- +goose Down
DROP INDEX handled_keys_created_idx;
