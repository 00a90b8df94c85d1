-- When a person last opened salesbot's Home tab. Home tabs are republished
-- after changes only for people who use them: publishing for everyone would
-- cost a views.publish per change for tabs nobody looks at.

-- +goose Up
ALTER TABLE users ADD COLUMN home_opened_at timestamptz;

-- +goose Down
ALTER TABLE users DROP COLUMN home_opened_at;
