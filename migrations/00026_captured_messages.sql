-- Capture from conversation: a Slack message added to a deal ("Add to
-- deal") is an activity of kind 'message'. author_id is who added it;
-- the message keeps its own writer (a customer's Slack ID need not be a
-- salesbot user, hence no foreign key), its time and its permalink. One
-- message is logged once per deal: the unique index is the backstop of the
-- use case's check under the deal's lock.

-- +goose Up
ALTER TABLE activities
    DROP CONSTRAINT activities_kind_check,
    ADD CONSTRAINT activities_kind_check CHECK (kind IN ('note', 'call', 'email', 'meeting', 'other', 'message')),
    ADD COLUMN source_channel   text,
    ADD COLUMN source_ts        text,
    ADD COLUMN source_author    text,
    ADD COLUMN source_at        timestamptz,
    ADD COLUMN source_permalink text,
    ADD CONSTRAINT activities_source_complete CHECK (
        (kind = 'message') = (source_channel IS NOT NULL AND source_ts IS NOT NULL AND source_author IS NOT NULL
                              AND source_at IS NOT NULL AND source_permalink IS NOT NULL));

CREATE UNIQUE INDEX activities_source_idx ON activities (workspace_id, deal_id, source_channel, source_ts)
    WHERE source_ts IS NOT NULL;

-- +goose Down
DROP INDEX activities_source_idx;
DELETE FROM activities WHERE kind = 'message';
ALTER TABLE activities
    DROP CONSTRAINT activities_source_complete,
    DROP COLUMN source_permalink, DROP COLUMN source_at, DROP COLUMN source_author,
    DROP COLUMN source_ts, DROP COLUMN source_channel,
    DROP CONSTRAINT activities_kind_check,
    ADD CONSTRAINT activities_kind_check CHECK (kind IN ('note', 'call', 'email', 'meeting', 'other'));
