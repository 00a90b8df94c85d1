-- The deal lifecycle: lead handoff remembers who offered the deal, /deal find
-- searches contact emails, and the per-deal and per-owner reads that the
-- earlier indexes do not cover get their own.

-- +goose Up
-- The owner before a pending handoff: a rejected offer gives the deal back to them.
ALTER TABLE deals ADD COLUMN handoff_from text;
ALTER TABLE deals ADD CONSTRAINT deals_handoff_from_fkey
    FOREIGN KEY (workspace_id, handoff_from) REFERENCES users (workspace_id, id) ON DELETE RESTRICT;

-- /deal find: substring and word similarity on contact emails, as on names.
CREATE INDEX contacts_email_trgm_idx ON contacts USING gin (lower(email) gin_trgm_ops);
-- /deal find by contact: from the matching contacts to their deals.
CREATE INDEX deals_contact_idx ON deals (workspace_id, contact_id) WHERE contact_id IS NOT NULL;
-- One owner's closed deals (lists that include closed deals, leaderboard,
-- commission), so per-owner reads never scan every closed deal of the workspace.
CREATE INDEX deals_closed_owner_idx ON deals (workspace_id, owner_id, closed_at) WHERE closed_at IS NOT NULL;

-- +goose Down
DROP INDEX deals_closed_owner_idx;
DROP INDEX deals_contact_idx;
DROP INDEX contacts_email_trgm_idx;
ALTER TABLE deals DROP COLUMN handoff_from;
