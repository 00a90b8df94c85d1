-- Deals. The scheduler's scans (stale deals, close date passed, handoffs,
-- pipeline by stage) read partial indexes over OPEN deals only, so their cost
-- grows with open deals, not with every deal ever made; digests and metrics
-- read closed deals by their close time.

-- +goose Up
CREATE TABLE deals (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id       text NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
    number             bigint NOT NULL CHECK (number > 0), -- shown as D-<number>
    title              text NOT NULL CHECK (btrim(title) <> ''),
    kind               text NOT NULL DEFAULT 'new' CHECK (kind IN ('new', 'upsell', 'cross_sell')),
    parent_deal_id     bigint, -- the deal an upsell or cross-sell came from
    account_id         bigint NOT NULL,
    contact_id         bigint,
    stage              text NOT NULL,
    amount_minor       bigint NOT NULL DEFAULT 0 CHECK (amount_minor >= 0),
    currency           char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    recurring          boolean NOT NULL DEFAULT false, -- amount is annual recurring value
    expected_close     date,
    source             text NOT NULL DEFAULT '',
    score              smallint NOT NULL DEFAULT 0 CHECK (score BETWEEN 0 AND 100),
    qualification      jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(qualification) = 'object'), -- BANT answers, score reasons
    owner_id           text NOT NULL,
    created_by         text NOT NULL,
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    last_activity_at   timestamptz NOT NULL DEFAULT now(),
    closed_at          timestamptz,
    lost_reason        text NOT NULL DEFAULT '',
    won_amount_minor   bigint CHECK (won_amount_minor >= 0),
    -- Lead handoff: 'pending' while the owner has not accepted yet.
    handoff_state      text NOT NULL DEFAULT 'none' CHECK (handoff_state IN ('none', 'pending', 'accepted')),
    handoff_offered_at timestamptz,
    accepted_at        timestamptz,
    handoff_declined   text[] NOT NULL DEFAULT '{}', -- reps who rejected or let it time out
    -- Alert bookkeeping: snoozed deals are quiet; *_on are workspace-local days
    -- so an alert goes out at most once a day.
    snoozed_until      timestamptz,
    stale_alerted_on   date,
    escalated_on       date,
    close_alerted_on   date,
    -- A redelivered modal submission carries the same key and creates nothing new.
    idempotency_key    text,
    UNIQUE (workspace_id, number),
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, account_id) REFERENCES accounts (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, contact_id) REFERENCES contacts (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, parent_deal_id) REFERENCES deals (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, stage) REFERENCES stages (workspace_id, key) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, created_by) REFERENCES users (workspace_id, id) ON DELETE RESTRICT,
    -- A deal is closed exactly when it is won or lost.
    CHECK ((stage IN ('won', 'lost')) = (closed_at IS NOT NULL))
);

CREATE UNIQUE INDEX deals_idempotency_key ON deals (workspace_id, idempotency_key) WHERE idempotency_key IS NOT NULL;

-- Open deals: stale scan (per stage threshold) and pipeline by stage.
CREATE INDEX deals_open_stage_idx ON deals (workspace_id, stage, last_activity_at) WHERE stage NOT IN ('won', 'lost');
-- Open deals: one owner's deals, stale deals and open-lead capacity.
CREATE INDEX deals_open_owner_idx ON deals (workspace_id, owner_id, last_activity_at) WHERE stage NOT IN ('won', 'lost');
-- Open deals: close date passed, closing this month or quarter (forecast).
CREATE INDEX deals_open_close_idx ON deals (workspace_id, expected_close) WHERE stage NOT IN ('won', 'lost') AND expected_close IS NOT NULL;
-- Leads waiting for their owner to accept them (handoff timeout).
CREATE INDEX deals_handoff_idx ON deals (workspace_id, handoff_offered_at) WHERE handoff_state = 'pending';
-- Won and lost in a period: digests, win rate, leaderboard, cycle length.
CREATE INDEX deals_closed_idx ON deals (workspace_id, closed_at) WHERE closed_at IS NOT NULL;
-- New leads in a period.
CREATE INDEX deals_created_idx ON deals (workspace_id, created_at);
CREATE INDEX deals_account_idx ON deals (workspace_id, account_id);
-- /deal find: substring search on titles.
CREATE INDEX deals_title_trgm_idx ON deals USING gin (lower(title) gin_trgm_ops);

-- +goose Down
DROP TABLE deals;
