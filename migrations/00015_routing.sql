-- Lead routing: a lead the bot routed goes to the next rep when it is
-- rejected; a lead someone handed over by hand goes back to them.

-- +goose Up
ALTER TABLE deals ADD COLUMN routed boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE deals DROP COLUMN routed;
