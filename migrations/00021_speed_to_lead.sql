-- Speed to lead. A lead from outside (the API, a web form) keeps what the
-- form told about it (message, UTM tags, page) on the deal. Each offer of
-- such a lead to a rep is recorded with the deadline the workspace's response
-- SLA gives it, so a rep who lets it pass is escalated and the lead moves
-- on, and speed to lead can be reported per rep. A lead that repeats an open
-- deal is logged on that deal instead; its idempotency key remembers where.

-- +goose Up
ALTER TABLE deals ADD COLUMN inbound jsonb CHECK (inbound IS NULL OR jsonb_typeof(inbound) = 'object');

-- Working hours, in minutes after midnight in the workspace timezone: the
-- response SLA (and a handoff's timeout) count only these.
ALTER TABLE workspace_settings
    ADD COLUMN response_sla_mins integer NOT NULL DEFAULT 5 CHECK (response_sla_mins BETWEEN 1 AND 1440),
    ADD COLUMN work_start_min integer NOT NULL DEFAULT 540 CHECK (work_start_min BETWEEN 0 AND 1439),
    ADD COLUMN work_end_min integer NOT NULL DEFAULT 1020 CHECK (work_end_min BETWEEN 1 AND 1440),
    ADD CONSTRAINT workspace_settings_work_hours CHECK (work_start_min < work_end_min);

-- responded_at: the rep accepted or logged an activity; missed_at: the
-- deadline passed without either (the lead was re-routed); closed_at: the
-- offer ended otherwise (declined, handed on). One of the three ends it.
CREATE TABLE lead_offers (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id text NOT NULL,
    deal_id      bigint NOT NULL,
    rep_id       text NOT NULL,
    offered_at   timestamptz NOT NULL,
    respond_by   timestamptz NOT NULL,
    responded_at timestamptz,
    missed_at    timestamptz,
    closed_at    timestamptz,
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE CASCADE
);

-- The open offers of a workspace, by deadline (the SLA job, every minute).
CREATE INDEX lead_offers_open_idx ON lead_offers (workspace_id, respond_by)
    WHERE responded_at IS NULL AND missed_at IS NULL AND closed_at IS NULL;
-- Speed to lead per rep over a period.
CREATE INDEX lead_offers_offered_idx ON lead_offers (workspace_id, offered_at);
CREATE INDEX lead_offers_deal_idx ON lead_offers (deal_id);

-- A lead that matched an open deal, by the idempotency key it came with: a
-- replay answers the same and logs nothing more.
CREATE TABLE lead_duplicates (
    workspace_id    text NOT NULL,
    idempotency_key text NOT NULL,
    deal_id         bigint NOT NULL,
    fingerprint     text NOT NULL,
    created_at      timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, idempotency_key),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE lead_duplicates;
DROP TABLE lead_offers;
ALTER TABLE workspace_settings DROP CONSTRAINT workspace_settings_work_hours,
    DROP COLUMN work_end_min, DROP COLUMN work_start_min, DROP COLUMN response_sla_mins;
ALTER TABLE deals DROP COLUMN inbound;
