-- Approvals. A workspace may require a manager's approval for a discount
-- above a threshold, and fields a deal must have before entering a stage. A
-- deal carries its discount in basis points off its amount (the list
-- amount); its price is the amount less the discount. An approval request
-- keeps the amount and discount it was asked for, so the price it approved
-- stays known after the deal changes (which invalidates it).

-- +goose Up
-- approval_discount_bps: a discount above it needs approval; NULL = approvals off.
-- stage_required_fields: stage key -> array of field names.
ALTER TABLE workspace_settings
    ADD COLUMN approval_discount_bps integer CHECK (approval_discount_bps BETWEEN 0 AND 9999),
    ADD COLUMN stage_required_fields jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(stage_required_fields) = 'object');

ALTER TABLE deals ADD COLUMN discount_bps integer NOT NULL DEFAULT 0 CHECK (discount_bps BETWEEN 0 AND 10000);

-- decided_by/decided_at: who approved or rejected, and when (kept when an
-- approved request is invalidated later); invalidated_at: when an edit of
-- the amount or discount voided it.
CREATE TABLE approvals (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    workspace_id    text NOT NULL,
    deal_id         bigint NOT NULL,
    requested_by    text NOT NULL,
    approvers       text[] NOT NULL CHECK (cardinality(approvers) > 0),
    discount_bps    integer NOT NULL CHECK (discount_bps BETWEEN 0 AND 10000),
    amount_minor    bigint NOT NULL CHECK (amount_minor >= 0),
    currency        char(3) NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
    reason          text NOT NULL DEFAULT '' CHECK (length(reason) <= 500),
    state           text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'approved', 'rejected', 'invalidated')),
    requested_at    timestamptz NOT NULL,
    decided_by      text,
    decided_at      timestamptz,
    decision_reason text NOT NULL DEFAULT '' CHECK (length(decision_reason) <= 500),
    invalidated_at  timestamptz,
    reminded_at     timestamptz,
    UNIQUE (workspace_id, id),
    FOREIGN KEY (workspace_id, deal_id) REFERENCES deals (workspace_id, id) ON DELETE CASCADE,
    FOREIGN KEY (workspace_id, requested_by) REFERENCES users (workspace_id, id) ON DELETE RESTRICT,
    FOREIGN KEY (workspace_id, decided_by) REFERENCES users (workspace_id, id) ON DELETE RESTRICT,
    CHECK ((decided_by IS NULL) = (decided_at IS NULL)),
    CHECK (state NOT IN ('approved', 'rejected') OR decided_by IS NOT NULL),
    CHECK (state <> 'pending' OR decided_by IS NULL),
    CHECK ((state = 'invalidated') = (invalidated_at IS NOT NULL)),
    CHECK (state <> 'rejected' OR btrim(decision_reason) <> '')
);

-- At most one request counts per deal at a time: a new one replaces the
-- live one in the same transaction, and two at once cannot both commit.
CREATE UNIQUE INDEX approvals_live_idx ON approvals (workspace_id, deal_id) WHERE state IN ('pending', 'approved');
-- Pending requests not yet reminded, for the reminder job.
CREATE INDEX approvals_remind_idx ON approvals (workspace_id, requested_at) WHERE state = 'pending' AND reminded_at IS NULL;

-- A decision is final: the use cases decide with a conditional UPDATE
-- (WHERE state = 'pending'), and this trigger refuses any other change of
-- state, so no statement can decide a request twice or revive one.
-- +goose StatementBegin
CREATE FUNCTION approvals_transition() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.state <> OLD.state AND NOT (
        (OLD.state = 'pending' AND NEW.state IN ('approved', 'rejected', 'invalidated'))
        OR (OLD.state = 'approved' AND NEW.state = 'invalidated')) THEN
        RAISE EXCEPTION 'approval % cannot go from % to %', OLD.id, OLD.state, NEW.state;
    END IF;
    IF OLD.decided_by IS NOT NULL AND NEW.decided_by IS DISTINCT FROM OLD.decided_by THEN
        RAISE EXCEPTION 'approval % was decided already', OLD.id;
    END IF;
    RETURN NEW;
END;
$$;
-- +goose StatementEnd

CREATE TRIGGER approvals_transition BEFORE UPDATE ON approvals
    FOR EACH ROW EXECUTE FUNCTION approvals_transition();

-- +goose Down
DROP TABLE approvals;
DROP FUNCTION approvals_transition();
ALTER TABLE deals DROP COLUMN discount_bps;
ALTER TABLE workspace_settings DROP COLUMN stage_required_fields, DROP COLUMN approval_discount_bps;
