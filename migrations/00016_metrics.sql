-- ARR reads every recurring deal ever won; this partial index holds just
-- those, so the metric's cost grows with recurring wins, not with all deals.

-- +goose Up
CREATE INDEX deals_won_recurring_idx ON deals (workspace_id, closed_at)
    INCLUDE (account_id, owner_id, currency, amount_minor, won_amount_minor)
    WHERE stage = 'won' AND recurring;

-- +goose Down
DROP INDEX deals_won_recurring_idx;
