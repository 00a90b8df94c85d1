-- Deal rooms: a channel per important deal. The row is written in the
-- transaction that asks for the room (state 'opening'); a job makes the
-- channel in Slack, invites, posts and pins the card, then records the
-- channel (state 'open'). Slack refusing deletes the row, so nothing is
-- half-made. A person renaming or archiving the channel is followed from
-- Slack's channel events.

-- +goose Up
-- room_private: rooms are private channels; room_auto_minor: a deal worth
-- more than this (minor units of the workspace currency) gets a room by
-- itself on reaching room_auto_stage (NULL = never); room_archive_days: a
-- room is archived this many days after its deal closes (0 = never).
ALTER TABLE workspace_settings
    ADD COLUMN room_private boolean NOT NULL DEFAULT false,
    ADD COLUMN room_auto_minor bigint CHECK (room_auto_minor >= 0),
    ADD COLUMN room_auto_stage text,
    ADD COLUMN room_archive_days integer NOT NULL DEFAULT 7 CHECK (room_archive_days BETWEEN 0 AND 365),
    ADD CONSTRAINT room_auto_complete CHECK ((room_auto_minor IS NULL) = (room_auto_stage IS NULL));

-- name: the channel's name as Slack last told it (renames are followed);
-- card_ts: the pinned card; archive_at: when the room is due to be
-- archived (set when the deal closes, cleared if it reopens).
CREATE TABLE deal_rooms (
    workspace_id text NOT NULL,
    deal_id      bigint NOT NULL,
    state        text NOT NULL DEFAULT 'opening' CHECK (state IN ('opening', 'open', 'archived')),
    channel_id   text,
    name         text NOT NULL DEFAULT '',
    private      boolean NOT NULL,
    requested_by text NOT NULL,
    requested_at timestamptz NOT NULL,
    opened_at    timestamptz,
    card_ts      text,
    archive_at   timestamptz,
    archived_at  timestamptz,
    PRIMARY KEY (workspace_id, deal_id),
    UNIQUE (workspace_id, channel_id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE CASCADE,
    CHECK (state = 'opening' OR channel_id IS NOT NULL),
    CHECK ((state = 'archived') = (archived_at IS NOT NULL))
);

CREATE INDEX deal_rooms_archive_idx ON deal_rooms (archive_at) WHERE state = 'open' AND archive_at IS NOT NULL;

-- People added to a room besides the owner and the owner's manager.
CREATE TABLE deal_room_members (
    workspace_id text NOT NULL,
    deal_id      bigint NOT NULL,
    user_id      text NOT NULL,
    added_by     text NOT NULL,
    added_at     timestamptz NOT NULL,
    PRIMARY KEY (workspace_id, deal_id, user_id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deal_rooms (workspace_id, deal_id) ON DELETE CASCADE
);

-- +goose Down
DROP TABLE deal_room_members;
DROP TABLE deal_rooms;
ALTER TABLE workspace_settings DROP CONSTRAINT room_auto_complete,
    DROP COLUMN room_archive_days, DROP COLUMN room_auto_stage, DROP COLUMN room_auto_minor, DROP COLUMN room_private;
