-- `salesbot demo-data --reset` empties a workspace's pipeline, history
-- included. The history stays append-only for every other statement: only a
-- transaction that named the workspace it empties (set_config, local to the
-- transaction) may delete that workspace's rows.
-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deal_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('salesbot.emptying_workspace', true) = OLD.workspace_id THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'deal_history is append-only';
END;
$$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION deal_history_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'deal_history is append-only';
END;
$$;
-- +goose StatementEnd
