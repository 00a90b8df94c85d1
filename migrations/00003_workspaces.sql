-- Workspaces (one per Slack team), their settings, pipeline stages and people.
-- Nothing here is hard-deleted by a user action, so foreign keys RESTRICT.

-- +goose Up
CREATE EXTENSION IF NOT EXISTS pg_trgm;

CREATE TABLE workspaces (
    id               text PRIMARY KEY, -- Slack team ID
    name             text NOT NULL DEFAULT '',
    -- Next per-workspace deal number (D-n): bumped under the row lock of the
    -- transaction that creates the deal, so numbers have no gaps and no races.
    next_deal_number bigint NOT NULL DEFAULT 1 CHECK (next_deal_number > 0),
    created_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE workspace_settings (
    workspace_id           text PRIMARY KEY REFERENCES workspaces (id) ON DELETE RESTRICT,
    currency               char(3) NOT NULL DEFAULT 'USD' CHECK (currency ~ '^[A-Z]{3}$'),
    timezone               text NOT NULL DEFAULT 'UTC',
    celebration_channel    text NOT NULL DEFAULT '',
    digest_channel         text NOT NULL DEFAULT '',
    alerts_channel         text NOT NULL DEFAULT '',
    digest_time            text NOT NULL DEFAULT '08:30' CHECK (digest_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    working_days           smallint[] NOT NULL DEFAULT '{1,2,3,4,5}' CHECK (working_days <@ '{0,1,2,3,4,5,6}'),
    big_deal_minor         bigint NOT NULL DEFAULT 0 CHECK (big_deal_minor >= 0),
    handoff_timeout_mins   integer NOT NULL DEFAULT 240 CHECK (handoff_timeout_mins > 0),
    followup_snooze_mins   integer NOT NULL DEFAULT 1440 CHECK (followup_snooze_mins > 0),
    stale_snooze_days      integer NOT NULL DEFAULT 7 CHECK (stale_snooze_days > 0),
    checkin_days           integer[] NOT NULL DEFAULT '{7,30,90}',
    -- job name -> enabled; a job missing from the object runs (default on).
    jobs                   jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(jobs) = 'object'),
    default_commission_bps integer NOT NULL DEFAULT 0 CHECK (default_commission_bps BETWEEN 0 AND 10000),
    -- Ideal customer profile, for lead scoring.
    icp_industries         text[] NOT NULL DEFAULT '{}',
    icp_sizes              text[] NOT NULL DEFAULT '{}',
    -- Lead routing rules, evaluated in order by the domain code.
    routing_rules          jsonb NOT NULL DEFAULT '[]' CHECK (jsonb_typeof(routing_rules) = 'array'),
    created_at             timestamptz NOT NULL DEFAULT now(),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- Rows are written by the application from the domain's default table on a
-- workspace's first sight, so the defaults live in one place.
CREATE TABLE stages (
    workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
    key          text NOT NULL CHECK (key ~ '^[a-z][a-z0-9_]{0,39}$'),
    label        text NOT NULL CHECK (label <> ''),
    position     integer NOT NULL,
    probability  integer NOT NULL CHECK (probability BETWEEN 0 AND 100),
    stale_days   integer NOT NULL DEFAULT 0 CHECK (stale_days >= 0),
    PRIMARY KEY (workspace_id, key)
);

-- Teams are modelled by users.manager_id: a manager's team is the users who
-- name them as manager.
CREATE TABLE users (
    workspace_id   text NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
    id             text NOT NULL, -- Slack user ID
    name           text NOT NULL DEFAULT '',
    role           text NOT NULL DEFAULT 'rep' CHECK (role IN ('rep', 'manager', 'admin')),
    manager_id     text,
    timezone       text NOT NULL DEFAULT '',
    away           boolean NOT NULL DEFAULT false,
    deactivated    boolean NOT NULL DEFAULT false,
    lead_capacity  integer NOT NULL DEFAULT 0 CHECK (lead_capacity >= 0), -- open leads; 0 = no limit
    commission_bps integer CHECK (commission_bps BETWEEN 0 AND 10000),  -- NULL = workspace default
    -- notification kind -> wanted; a kind missing from the object is wanted.
    notify         jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(notify) = 'object'),
    quiet_start    text NOT NULL DEFAULT '' CHECK (quiet_start = '' OR quiet_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    quiet_end      text NOT NULL DEFAULT '' CHECK (quiet_end = '' OR quiet_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    last_routed_at timestamptz, -- round-robin routing picks the eligible rep routed to longest ago
    created_at     timestamptz NOT NULL DEFAULT now(),
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (workspace_id, id),
    FOREIGN KEY (workspace_id, manager_id) REFERENCES users (workspace_id, id) ON DELETE RESTRICT,
    CHECK (manager_id IS NULL OR manager_id <> id)
);

CREATE INDEX users_manager_idx ON users (workspace_id, manager_id) WHERE manager_id IS NOT NULL;

-- +goose Down
DROP TABLE users;
DROP TABLE stages;
DROP TABLE workspace_settings;
DROP TABLE workspaces;
