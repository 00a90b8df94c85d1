-- What happens to a deal: the audit history, logged activities and follow-ups.

-- +goose Up
CREATE TABLE deal_history (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id text NOT NULL,
    deal_id      bigint NOT NULL,
    actor_id     text, -- NULL for the system (scheduler, routing)
    action       text NOT NULL CHECK (action <> ''),
    field        text NOT NULL DEFAULT '',
    old_value    text NOT NULL DEFAULT '',
    new_value    text NOT NULL DEFAULT '',
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, actor_id) REFERENCES users (workspace_id, id) ON DELETE RESTRICT
);

CREATE INDEX deal_history_deal_idx ON deal_history (deal_id, created_at);
-- Digest: yesterday's stage moves, wins and losses.
CREATE INDEX deal_history_workspace_idx ON deal_history (workspace_id, created_at);

-- The audit history is append-only: a bug or a stray statement cannot rewrite it.
-- +goose StatementBegin
CREATE FUNCTION deal_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'deal_history is append-only';
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER deal_history_append_only
    BEFORE UPDATE OR DELETE ON deal_history
    FOR EACH ROW EXECUTE FUNCTION deal_history_append_only();

CREATE TABLE activities (
    id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id text NOT NULL,
    deal_id      bigint NOT NULL,
    author_id    text NOT NULL,
    kind         text NOT NULL DEFAULT 'note' CHECK (kind IN ('note', 'call', 'email', 'meeting', 'other')),
    body         text NOT NULL CHECK (body <> ''),
    created_at   timestamptz NOT NULL DEFAULT now(),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, author_id) REFERENCES users (workspace_id, id) ON DELETE RESTRICT
);

CREATE INDEX activities_deal_idx ON activities (deal_id, created_at);

CREATE TABLE follow_ups (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id  text NOT NULL,
    deal_id       bigint NOT NULL,
    owner_id      text NOT NULL,
    kind          text NOT NULL DEFAULT 'followup' CHECK (kind IN ('followup', 'checkin')), -- checkin: post-sale
    due_at        timestamptz NOT NULL,
    note          text NOT NULL DEFAULT '',
    created_by    text,
    created_at    timestamptz NOT NULL DEFAULT now(),
    done_at       timestamptz,
    -- Snooze sets snoozed_until and clears reminded_at: the follow-up is
    -- reminded once more when remind_at comes.
    snoozed_until timestamptz,
    reminded_at   timestamptz,
    remind_at     timestamptz NOT NULL GENERATED ALWAYS AS (COALESCE(snoozed_until, due_at)) STORED,
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, owner_id) REFERENCES users (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, created_by) REFERENCES users (workspace_id, id) ON DELETE RESTRICT
);

-- Due reminders (every minute, all workspaces): only undone, unreminded rows.
CREATE INDEX follow_ups_due_idx ON follow_ups (remind_at) WHERE done_at IS NULL AND reminded_at IS NULL;
-- One owner's open follow-ups (App Home, overdue counts).
CREATE INDEX follow_ups_owner_idx ON follow_ups (workspace_id, owner_id, due_at) WHERE done_at IS NULL;
-- A deal's next follow-up (deal card).
CREATE INDEX follow_ups_deal_idx ON follow_ups (deal_id, due_at) WHERE done_at IS NULL;

-- +goose Down
DROP TABLE follow_ups;
DROP TABLE activities;
DROP TABLE deal_history;
DROP FUNCTION deal_history_append_only();
