-- Settings an admin makes for one channel, such as answering deal mentions
-- (D-42 typed in a message) there. A channel without a row has every
-- setting off: nothing is said in a channel until an admin asks for it.

-- +goose Up
-- mentions: answer D-n in this channel's messages with an ephemeral card to
-- the writer; changed_by/changed_at: the admin who last changed a setting.
CREATE TABLE channel_settings (
    workspace_id text NOT NULL REFERENCES workspaces (id) ON DELETE RESTRICT,
    channel_id   text NOT NULL CHECK (channel_id <> ''),
    mentions     boolean NOT NULL DEFAULT false,
    changed_by   text NOT NULL,
    changed_at   timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, channel_id)
);

-- +goose Down
DROP TABLE channel_settings;
